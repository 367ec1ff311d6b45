// Deterministic text and hashes for the generated assets.
import { createHash } from 'node:crypto';

export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The shortest decimal that reads back (through Math.fround) as the same float32 value. */
export function float32Number(v) {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new Error(`not a finite float32: ${v}`);
  for (let p = 1; p <= 9; p++) {
    const n = Number(f.toPrecision(p));
    if (Math.fround(n) === f) return n === 0 ? 0 : n;
  }
  throw new Error(`no 9-digit decimal for ${f}`); // unreachable: 9 significant digits always round-trip
}

const rowLengths = new WeakMap();

/** Marks a flat number array so formatJson prints it rowLength numbers to a line. */
export function rows(array, rowLength) {
  rowLengths.set(array, rowLength);
  return array;
}

/**
 * JSON with two-space indentation where arrays of numbers (or strings) stay on one line (or one line per row when
 * marked with rows()), so data files are compact but still readable. Object keys keep their
 * insertion order, so output is byte-stable.
 */
export function formatJson(value, indent = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v === 'number' || typeof v === 'string')) {
      const rowLength = rowLengths.get(value);
      if (!rowLength || rowLength >= value.length) return `[${value.map(primitiveText).join(', ')}]`;
      const lines = [];
      for (let i = 0; i < value.length; i += rowLength)
        lines.push(
          inner +
            value
              .slice(i, i + rowLength)
              .map(numberText)
              .join(', '),
        );
      return `[\n${lines.join(',\n')}\n${indent}]`;
    }
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function primitiveText(v) {
  return typeof v === 'string' ? JSON.stringify(v) : numberText(v);
}

function numberText(n) {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return JSON.stringify(n);
}
