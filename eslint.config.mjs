// ESLint (typescript-eslint) for the TypeScript sources: part of `npm test` (npm run lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/typed-client/generated/**', 'openapi/**', 'web/dist/**', 'web/src/api/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Nest modules are classes with decorators and no members.
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-console': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Flowgate matches control characters on purpose (log-injection and JSON-size guards).
      'no-control-regex': 'off',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '**/__tests__/**/*.ts', '**/*.spec.ts'],
    // Tests reach into loosely typed bodies and fakes; production code may not.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The console's build scripts run in Node; its sources in the browser.
    files: ['web/scripts/*.mjs', 'web/*.mts'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // Command-line programs talk to their user on the console; a spec that prints says so line by line.
    files: ['bench/**/*.ts', 'scripts/**/*.ts', 'src/core/database/migrate-cli.ts', 'web/scripts/*.mjs'],
    rules: { 'no-console': 'off' },
  },
);
