import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const SCHEMAS = path.resolve(__dirname, '../../../../schemas');

describe('JSON schemas', () => {
  // Loading compiles the schemas without checking them against the meta-schema (src/core/io/schema.ts); this does.
  it.each(readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json')))('%s is a valid schema that compiles in strict mode', (name) => {
    const schema = JSON.parse(readFileSync(path.join(SCHEMAS, name), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv, ['date-time']);
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });
});
