// Lint, including the layer arrows of DESIGN.md:
//   renderer -> contract (+ text-model);  main, web, cli -> notebook -> contract;  nothing imports main/ or web/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// `forbidden` lists module specifiers: bare names ('electron') are matched exactly, the rest as gitignore-style globs.
const layer = (files, forbidden, message) => {
  const names = forbidden.filter((f) => !f.includes('/') && !f.includes('*'));
  const globs = forbidden.filter((f) => !names.includes(f));
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: names.map((name) => ({ name, message })), patterns: globs.length ? [{ group: globs, message }] : [] },
      ],
    },
  };
};

export default tseslint.config(
  { ignores: ['out/**', 'out-*/**', 'renderer/out*/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read raw HTTP replies of any shape on purpose (that is what they check).
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // The contract, the text model and the CSS reference check import nothing: every layer may depend on them.
  {
    files: ['electron/contract.ts', 'electron/text-model.ts', 'electron/pdf-text.ts', 'electron/css-references.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'ImportDeclaration', message: 'contract.ts, text-model.ts, pdf-text.ts and css-references.ts import nothing.' }] },
  },
  layer(
    ['renderer/**/*.{ts,tsx}'],
    ['electron', '**/electron/notebook/**', '**/electron/main/**', '**/electron/web/**', '**/electron/preload/**', '**/electron/cli/**', '**/electron/schemas*', 'node:*', 'lowdb', 'jsdom', 'linkedom'],
    'The renderer reaches the notebook only through the contract (renderer/src/api).',
  ),
  layer(
    ['electron/notebook/**/*.ts'],
    ['electron', '**/main/**', '**/web/**', '**/preload/**', '**/cli/**', '../main', '../web', '../preload', '../cli'],
    'The notebook core is host-agnostic: no electron, and no host imports it back.',
  ),
  layer(
    ['electron/web/**/*.ts', 'electron/cli/**/*.ts'],
    ['electron', '**/main/**', '../main', '**/renderer/**'],
    'Browser mode and the CLI run under plain Node: no electron, no main/.',
  ),
  layer(
    ['electron/main/**/*.ts'],
    ['**/web/**', '../web', '**/cli/**', '**/renderer/**'],
    'main/ is one host; it does not import the other host.',
  ),
  layer(
    ['electron/preload/**/*.ts'],
    ['**/notebook/**', '**/main/**', '**/web/**', '**/renderer/**'],
    'preload bridges the contract only.',
  ),
);
