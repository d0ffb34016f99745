// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const vscodeBan = {
  paths: [
    { name: 'vscode', message: 'src/core and src/shared must not depend on vscode; pass an interface in.' },
  ],
};

// The webview bundles run in the browser: they may use the domain types and pure logic of
// src/core, never the HTTP client (src/core/api), whose code would land in the bundle.
const webviewBan = {
  paths: vscodeBan.paths,
  patterns: [
    {
      group: ['**/core/api', '**/core/api/*'],
      message:
        'src/webview-ui must not depend on the API client (src/core/api); use src/core/domain and src/shared.',
    },
  ],
};

const vscodeSyntaxBans = [
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']",
    message: 'src/core and src/shared must not depend on vscode.',
  },
  {
    selector: "ImportExpression[source.value='vscode']",
    message: 'src/core and src/shared must not depend on vscode.',
  },
];

const registrationBans = [
  {
    selector: "CallExpression[callee.property.name='registerCommand']",
    message: 'Register commands only in src/vscode/commands/registry.ts.',
  },
  {
    selector: "CallExpression[callee.property.name='executeCommand'][arguments.0.value='setContext']",
    message: 'Set context keys only through src/vscode/contextKeys.ts.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'out/**',
      'test/e2e/artifacts/**',
      '.tools/**',
      'reports/**',
      '.stryker-tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      curly: 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**'],
    ignores: ['src/vscode/commands/registry.ts', 'src/vscode/contextKeys.ts'],
    rules: { 'no-restricted-syntax': ['error', ...registrationBans] },
  },
  {
    files: ['src/core/**', 'src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', vscodeBan],
      'no-restricted-syntax': ['error', ...registrationBans, ...vscodeSyntaxBans],
    },
  },
  {
    files: ['src/webview-ui/**'],
    languageOptions: {
      parserOptions: { projectService: false, project: ['src/webview-ui/tsconfig.json'] },
      globals: { ...globals.browser },
    },
    rules: { 'no-restricted-imports': ['error', webviewBan] },
  },
  {
    files: ['test/**', 'scripts/**', '*.mjs'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
