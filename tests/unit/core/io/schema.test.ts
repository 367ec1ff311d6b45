import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { schemaValidatorsSource, validatorName } from '../../../../scripts/schema-validators.mjs';
import { validator, type SchemaName } from '../../../../src/core/io/schema';

const SCHEMAS = path.resolve(__dirname, '../../../../schemas');
const FILES = readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json'));

describe('JSON schemas', () => {
  it.each(FILES)('%s is a valid schema that compiles in strict mode', (name) => {
    const schema = JSON.parse(readFileSync(path.join(SCHEMAS, name), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv, ['date-time']);
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });
});

describe('schemas compiled ahead of time', () => {
  it.each(FILES)('%s has a compiled validator that rejects a value of the wrong type and names the root', (file) => {
    const check = validator<unknown>(validatorName(file) as SchemaName, 'the file');
    expect(check('not an object')).toEqual({ ok: false, errors: ['the file: must be object'] });
  });

  it('reports every error with its field, as at load time before', () => {
    const check = validator<unknown>('pack', 'pack.json');
    const result = check({ id: 'p', extra: 1, timeLimitMinutes: 'ten' });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toContain('pack.json: unknown field "extra"');
    expect(errors).toContain('pack.json: missing field "name"');
    expect(errors).toContain('timeLimitMinutes: must be integer');
  });

  it('checks date-time formats with the formats it is given', () => {
    const check = validator<unknown>('progress', 'progress');
    const ok = { schemaVersion: 2, questions: { 'core/q': { ratings: [{ at: '2026-01-02T03:04:05Z', rating: 'good' }] } } };
    const bad = { schemaVersion: 2, questions: { 'core/q': { ratings: [{ at: 'yesterday', rating: 'good' }] } } };
    expect(check(ok)).toEqual({ ok: true, value: ok });
    expect(check(bad)).toEqual({ ok: false, errors: ['questions.core/q.ratings.0.at: must match format "date-time"'] });
  });

  it('fails the build on a schema strict mode rejects or one without an $id, naming the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlops-schemas-'));
    writeFileSync(path.join(dir, 'a.schema.json'), JSON.stringify({ $id: 'https://example.test/a', type: 'object', colour: 'red' }));
    expect(() => schemaValidatorsSource(dir)).toThrow(/colour/);
    writeFileSync(path.join(dir, 'a.schema.json'), JSON.stringify({ type: 'object' }));
    expect(() => schemaValidatorsSource(dir)).toThrow(/a\.schema\.json: a schema needs an \$id/);
  });

  it('compiles to a module without require calls (plain ESM for both bundlers)', () => {
    expect(schemaValidatorsSource()).not.toMatch(/require\(/);
  });
});
