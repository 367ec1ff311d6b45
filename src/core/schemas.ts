import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import labSchema from '../../schemas/lab.schema.json';
import packSchema from '../../schemas/pack.schema.json';
import labStateSchema from '../../schemas/lab-state.schema.json';
import progressSchema from '../../schemas/progress.schema.json';
import questionSchema from '../../schemas/question.schema.json';
import submissionSchema from '../../schemas/submission.schema.json';
import type { LabStateData } from './lab-state';
import type { ProgressData } from './progress';
import type { SubmissionManifest } from './submission';
import type { LabManifest, PackManifest, QuestionFrontMatter } from './types';

/** The three frozen JSON Schemas, compiled once on first use. */
interface Validators {
  question: ValidateFunction<QuestionFrontMatter>;
  lab: ValidateFunction<LabManifest>;
  pack: ValidateFunction<PackManifest>;
  progress: ValidateFunction<ProgressData>;
  labState: ValidateFunction<LabStateData>;
  submission: ValidateFunction<SubmissionManifest>;
}

let compiled: Validators | undefined;

function validators(): Validators {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv, ['date-time']);
    compiled = {
      question: ajv.compile<QuestionFrontMatter>(questionSchema),
      lab: ajv.compile<LabManifest>(labSchema),
      pack: ajv.compile<PackManifest>(packSchema),
      progress: ajv.compile<ProgressData>(progressSchema),
      labState: ajv.compile<LabStateData>(labStateSchema),
      submission: ajv.compile<SubmissionManifest>(submissionSchema),
    };
  }
  return compiled;
}

export type SchemaResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function run<T>(validate: ValidateFunction<T>, value: unknown, root: string): SchemaResult<T> {
  if (validate(value)) return { ok: true, value };
  return { ok: false, errors: (validate.errors ?? []).map((e) => describeError(e, root)) };
}

export function validateQuestionFrontMatter(value: unknown): SchemaResult<QuestionFrontMatter> {
  return run(validators().question, value, 'front matter');
}

export function validateLabManifest(value: unknown): SchemaResult<LabManifest> {
  return run(validators().lab, value, 'lab.json');
}

export function validatePackManifest(value: unknown): SchemaResult<PackManifest> {
  return run(validators().pack, value, 'pack.json');
}

export function validateProgress(value: unknown): SchemaResult<ProgressData> {
  return run(validators().progress, value, 'progress');
}

export function validateLabState(value: unknown): SchemaResult<LabStateData> {
  return run(validators().labState, value, 'lab state');
}

export function validateSubmissionManifest(value: unknown): SchemaResult<SubmissionManifest> {
  return run(validators().submission, value, 'manifest.json');
}

/** Turns an ajv error into one sentence that names the field. */
export function describeError(error: ErrorObject, root: string): string {
  const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : root;
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
