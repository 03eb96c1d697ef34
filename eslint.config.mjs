// Lint: typescript-eslint strict plus the layering rules of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// analysis/ may import `yaml` and small pure data libraries listed here (docs/dev/design.md §1); today: yaml only.

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'url', 'process', 'worker_threads'];

/** Input-sized arrays spread into a call overflow the stack (131,072 objects did, in the index). */
const NO_SPREAD_INTO_CALLS = {
  selector: 'CallExpression[callee.property.name=/^(push|unshift|max|min|fromCharCode|fromCodePoint|apply)$/] > SpreadElement',
  message: 'Spreading an array into a call overflows the stack on large input: loop instead.',
};

/** No module state in server/: what a server remembers lives in objects it makes (two servers in one process keep their own). */
const SERVER_MODULE_STATE = {
  selector: 'Program > VariableDeclaration[kind=/^(let|var)$/], Program > ExportNamedDeclaration > VariableDeclaration[kind=/^(let|var)$/]',
  message: 'No module-level mutable state in server/: keep it in an object the server makes.',
};

/**
 * A module-level constant of server/ may hold a value, a function or a table typed read-only (a
 * `ReadonlySet`, `ReadonlyMap`, `readonly` array, `Readonly<…>` record or `as const`), never a
 * container or an object made by `new` (a Map, a Set, a runner with setters): that is state.
 */
const SERVER_MODULE_CONSTANTS = {
  selector: [
    'Program > VariableDeclaration > VariableDeclarator:not([id.typeAnnotation.typeAnnotation.typeName.name=/^Readonly(Set|Map)$/]) > NewExpression',
    'Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator:not([id.typeAnnotation.typeAnnotation.typeName.name=/^Readonly(Set|Map)$/]) > NewExpression',
    'Program > VariableDeclaration > VariableDeclarator:not([id.typeAnnotation]) > :matches(ArrayExpression, ObjectExpression)',
    'Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator:not([id.typeAnnotation]) > :matches(ArrayExpression, ObjectExpression)',
  ].join(', '),
  message:
    'No module-level mutable state in server/: a module constant is a value or a read-only table (type it `readonly`/`Readonly<…>`, or `as const`).',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', 'out/**', 'coverage/**', '**/*.d.ts', 'test/fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['analysis/**/*.ts'],
    rules: {
      // No god files: a hand-written core file past 600 lines is split by concern (issue 18).
      'max-lines': ['error', { max: 600 }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', 'vscode-*', '@vscode/*'], message: 'analysis/ knows nothing about VS Code or LSP.' },
            { group: ['node:*', ...nodeBuiltins], message: 'analysis/ does no IO: no node built-ins.' },
            {
              group: [
                '../server/*',
                '../client/*',
                '../cli/*',
                '../webview/*',
                '../../server/*',
                '../../client/*',
                '../../cli/*',
                '../../webview/*',
              ],
              message: 'analysis/ is the core: nothing above it.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'Date', 'performance', 'require'],
    },
  },
  {
    // Input-sized arrays spread into a call overflow the stack (131,072 objects did, in the index):
    // loop instead. Applies to the layers that handle workspace data.
    files: ['analysis/**/*.ts', 'server/**/*.ts', 'cli/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', NO_SPREAD_INTO_CALLS],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', 'vscode-languageclient*'], message: 'The CLI runs without VS Code.' },
            { group: ['vscode-languageserver*'], message: 'Only server/ speaks LSP: `kube-reach lsp` starts the server from server/.' },
            { group: ['../client/*', '../webview/*'], message: 'cli/ uses analysis/ (and server/ for `lsp`).' },
            {
              group: ['**/analysis/*', '!**/analysis/index.js'],
              message: 'The core is entered only through analysis/index.ts: export what you need there.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      // No module state: what a server remembers lives in objects it makes (two servers in one process keep their own).
      'no-restricted-syntax': ['error', NO_SPREAD_INTO_CALLS, SERVER_MODULE_STATE, SERVER_MODULE_CONSTANTS],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', 'vscode-languageclient*'], message: 'Only client/ knows vscode.' },
            { group: ['**/client/*', '**/webview/*', '**/cli/*'], message: 'server/ depends on analysis/ and protocol/ only.' },
            {
              group: ['**/analysis/*', '!**/analysis/index.js'],
              message: 'The core is entered only through analysis/index.ts: export what you need there.',
            },
          ],
        },
      ],
    },
  },
  {
    // server/convert.ts is the one place that turns analysis offsets into LSP line ranges and back.
    files: ['server/**/*.ts'],
    ignores: ['server/convert.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        NO_SPREAD_INTO_CALLS,
        SERVER_MODULE_STATE,
        SERVER_MODULE_CONSTANTS,
        {
          selector: 'MemberExpression[property.name=/^(positionAt|offsetAt)$/]',
          message: 'Offsets become LSP ranges only in server/convert.ts (toRange, toOffset, toWireLocation).',
        },
      ],
    },
  },
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/analysis/*', '**/server/*', '**/cli/*', '**/webview/*'],
              message: 'client/ talks to the server over LSP and to the webview by messages: it imports protocol/ only.',
            },
            {
              group: ['vscode-languageserver', 'vscode-languageserver/*'],
              message: 'Only server/ speaks LSP as a server; the client uses vscode-languageclient.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', 'vscode-*', 'node:*', ...nodeBuiltins], message: 'The webview is browser code.' },
            { group: ['**/analysis/*', '**/server/*', '**/client/*', '**/cli/*'], message: 'The webview imports protocol/ only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', 'vscode-*', '../server/*', '../client/*', '../cli/*', '../webview/*'], message: 'protocol/ is a leaf.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
);
