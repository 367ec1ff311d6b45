/**
 * The JSON Schemas of schemas/ compiled ahead of time (scripts/schema-validators.mjs, served to the bundle by
 * esbuild.config.mjs and to the unit tests by vitest.config.mts): one validate function per schema file.
 */
declare module 'virtual:schema-validators' {
  import type { ErrorObject } from 'ajv';

  export interface CompiledValidator {
    (value: unknown): boolean;
    errors?: ErrorObject[] | null;
  }

  /** What the compiled code would otherwise require: two of ajv's runtime helpers and ajv-formats' formats. */
  export interface ValidatorRuntime {
    equal: unknown;
    ucs2length: unknown;
    formats: unknown;
  }

  /** Named after their files: `lab-state.schema.json` is `labState`. */
  export interface CompiledValidators {
    answers: CompiledValidator;
    interviews: CompiledValidator;
    lab: CompiledValidator;
    labState: CompiledValidator;
    pack: CompiledValidator;
    progress: CompiledValidator;
    progressExport: CompiledValidator;
    question: CompiledValidator;
    submission: CompiledValidator;
  }

  export function createValidators(runtime: ValidatorRuntime): CompiledValidators;
}
