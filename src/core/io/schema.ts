/**
 * Validation against the project's JSON Schemas, compiled ahead of time (scripts/schema-validators.mjs). Each domain
 * module owns its validator (`validator<T>(name, root)`), so this module depends on nothing of the project's and no
 * import circle runs through it.
 */
import type { ErrorObject } from 'ajv';
import equal from 'ajv/dist/runtime/equal';
import ucs2length from 'ajv/dist/runtime/ucs2length';
import { fullFormats } from 'ajv-formats/dist/formats';
import { createValidators, type CompiledValidators } from 'virtual:schema-validators';

export type SchemaResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export type SchemaName = keyof CompiledValidators;

let compiled: CompiledValidators | undefined;

/** A validator for the schema `name` (`labState`: schemas/lab-state.schema.json); `root` names the value in errors without a path. */
export function validator<T>(name: SchemaName, root: string): (value: unknown) => SchemaResult<T> {
  return (value) => {
    compiled ??= createValidators({ equal, ucs2length, formats: fullFormats });
    const validate = compiled[name];
    if (validate(value)) return { ok: true, value: value as T };
    return { ok: false, errors: (validate.errors ?? []).map((e) => describeError(e, root)) };
  };
}

/** Turns an ajv error into one sentence that names the field. */
export function describeError(error: ErrorObject, root: string): string {
  // JSON pointer segments, unescaped: a question id's "/" reads as itself, not as "~1".
  const where = error.instancePath
    ? error.instancePath
        .slice(1)
        .split('/')
        .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
        .join('.')
    : root;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown field "${String(error.params['additionalProperty'])}"`;
    case 'required':
      return `${where}: missing field "${String(error.params['missingProperty'])}"`;
    case 'enum':
      return `${where}: must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where}: ${error.message ?? 'is invalid'}`;
  }
}
