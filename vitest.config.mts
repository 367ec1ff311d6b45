import { defineConfig } from 'vitest/config';
import { viteSchemaValidators } from './scripts/schema-validators.mjs';

/**
 * The slow project: tests that run the grading child (which needs dist/, built once by global-setup.ts), spawn
 * the built CLI or other processes, or bundle with esbuild. Everything else is the fast project, the
 * everyday loop (`npm run test:fast`), which never builds dist/. A new test that needs dist/ or a child
 * process belongs in this list.
 */
const SLOW = [
  'tests/unit/grader/hostile.test.ts',
  'tests/unit/grader/hostile-corpus.test.ts',
  'tests/unit/grader/hanging.test.ts',
  'tests/unit/grader/reuse.test.ts',
  'tests/unit/grader/onnx.test.ts',
  'tests/unit/grader/sandbox-plugin.test.ts',
  'tests/unit/grader/workspace-run.test.ts',
  'tests/unit/grader/suite-cache.test.ts',
  'tests/unit/grader/work-dir.test.ts',
  'tests/unit/cli/cli.test.ts',
  'tests/unit/cli/validate-pack.test.ts',
  'tests/unit/cli/take-home.test.ts',
  'tests/unit/cli/shards.test.ts',
  'tests/unit/cli/recipes.test.ts',
  'tests/unit/cli/cohort.test.ts',
  'tests/unit/cli/pack-template.test.ts',
  'tests/unit/core/io/shared-state.test.ts',
  'tests/unit/core/labs/workspace.test.ts',
  'tests/unit/render/prerender-build.test.ts',
];

export default defineConfig({
  // src/core/io/schema.ts imports the JSON Schemas compiled to code, as the build does (scripts/schema-validators.mjs).
  plugins: [viteSchemaValidators()],
  test: {
    environment: 'node',
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: ['tests/unit/**/*.test.ts'], exclude: SLOW },
      },
      {
        extends: true,
        test: { name: 'slow', include: SLOW, globalSetup: ['tests/unit/global-setup.ts'] },
      },
    ],
  },
});
