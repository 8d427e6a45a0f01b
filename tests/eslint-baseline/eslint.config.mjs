// The baseline: eslint-plugin-security's recommended rules plus ESLint's own code-injection rules, nothing else.
// Run with the target folder as working directory: npx --prefix <this folder> eslint -c <this file> -f json .
import security from 'eslint-plugin-security';

export default [
  security.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
  },
  {
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
];
