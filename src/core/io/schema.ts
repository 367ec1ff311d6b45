/**
 * A generic JSON Schema validator. Each domain module owns its own (`validator<T>(schema, root)`), so this
 * module depends on nothing of the project's and no import circle runs through it.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export type SchemaResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

let ajv: Ajv | undefined;

/** A validator for `schema`, compiled on its first use; `root` names the value in errors without a path. */
export function validator<T>(schema: object, root: string): (value: unknown) => SchemaResult<T> {
  let compiled: ValidateFunction<T> | undefined;
  return (value) => {
    if (!ajv) {
      // The project's schemas are checked against the JSON Schema meta-schema by a unit test (tests/unit/core/io/schema.test.ts),
      // so loading need not compile the meta-schema first: that was ~75 ms of the Questions view's first fill.
      ajv = new Ajv({ allErrors: true, strict: true, validateSchema: false });
      addFormats(ajv, ['date-time']);
    }
    compiled ??= ajv.compile<T>(schema);
    if (compiled(value)) return { ok: true, value };
    return { ok: false, errors: (compiled.errors ?? []).map((e) => describeError(e, root)) };
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
