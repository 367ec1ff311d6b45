/**
 * What the grader (parent) and the sandbox (child) agree on about the candidate's bundle, with no `ses` import:
 * the parent loads this in the editor's own process, which must never be locked down.
 */

/** How a test's import of the candidate's code is named: `require(CANDIDATE_PREFIX + "src/zero.ts")`. */
export const CANDIDATE_PREFIX = 'mlops-candidate:';

/** Globals read in hot loops of numeric labs. */
const HOT_GLOBALS = [
  'Math',
  'Float32Array',
  'Float64Array',
  'Int32Array',
  'Uint8Array',
  'Int8Array',
  'Array',
  'Number',
  'Object',
  'Promise',
  'Error',
  'RangeError',
  'TypeError',
];

/**
 * The source the compartment evaluates: the bundle in a function, on the bundle's own first line so its line
 * numbers (and its source map) hold; the inline map lets a debugger bind breakpoints set in src/. Debug runs
 * write exactly this text to disk too, so the debugger can find the map before the code runs.
 */
export function candidateSource(bundle: { code: string; map: string; file: string }): string {
  const inline = Buffer.from(bundle.map).toString('base64');
  // The globals hot numeric code uses are bound as parameters of an outer function, so each use is a closure read
  // rather than a lookup through the compartment's global scope (ses routes those through a proxy).
  const hot = HOT_GLOBALS.join(', ');
  return `(function (${hot}) { return function (module, exports, require) {${bundle.code}\n}; })(${HOT_GLOBALS.map((g) => `globalThis.${g}`).join(', ')})\n//# sourceURL=${bundle.file}\n//# sourceMappingURL=data:application/json;base64,${inline}\n`;
}
