// Types of scripts/schema-validators.mjs, for vitest.config.mts and the unit test that imports it.
import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin as VitePlugin } from 'vite';

export const SCHEMA_VALIDATORS_ID: string;
export function validatorName(file: string): string;
export function schemaValidatorsSource(dir?: string): string;
export const esbuildSchemaValidators: EsbuildPlugin;
export function viteSchemaValidators(): VitePlugin;
