import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'out/',
      '.vscode-test/',
      'node_modules/',
      '.cache/',
      'reports/',
      '.stryker-tmp/',
      'labs/',
      'templates/',
      'tests/fixtures/',
      'questions/',
      '*.vsix',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // Type-aware rules for src/: a promise is awaited, returned or handed to a handler (extension/errors.ts's
    // background()), never dropped with `void`, so a failure reaches the project's log instead of the host's.
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false, checkThenables: true }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Layering (DESIGN.md): only src/extension imports vscode.
    files: ['src/core/**', 'src/render/**', 'src/grader/**', 'src/cli/**', 'src/webview/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension may import vscode.' }], patterns: ['**/extension/**'] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Playwright runs these callbacks in the page.
    files: ['scripts/smoke.mjs', 'tests/e2e/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
