// Lint, and the environment boundaries it enforces (which code may import what):
//   src-main/shell/**      Electron main + preload: the only place `electron` may be imported.
//   src-main/contract/**   environment-neutral: zod and itself only (the renderer imports it).
//   src-main/** (rest)     plain Node core, CLI, harness: Node yes, Electron never.
//   src-renderer/**        browser: neither Node nor Electron; from src-main only the contract.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import longhaul from './scripts/eslint/longhaul-plugin.mjs';

const nodeBuiltins = [...new Set(builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => [m, `node:${m}`]))];

const electronBan = {
  paths: [{ name: 'electron', message: 'Only src-main/shell/ may import electron: keep the core runnable under plain Node (CLI, tests).' }],
  patterns: [{ group: ['electron/*'], message: 'Only src-main/shell/ may import electron.' }],
};
// Main never dispatches its own contract calls: only the transports (shell/ipc.ts, harness/server.ts) do; the face's
// own code (tray, lifecycle) calls the typed services the handlers are built on (core/app/handlers.ts AppServices).
const dispatchBan = {
  group: ['**/contract/dispatch'],
  message: 'Only the transports (shell/ipc.ts, harness/server.ts) dispatch contract calls: call the typed services (AppServices) instead.',
};
const requireElectronBan = [
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(\\u002F|$)/]",
    message: 'Only src-main/shell/ may require electron.',
  },
  { selector: "ImportExpression[source.value=/^electron(\\u002F|$)/]", message: 'Only src-main/shell/ may import electron.' },
];
const NET_CLIENT_MESSAGE = 'Reach other machines through core/platform/net-client.ts (httpRequest, tcpExchange, lookupHost): it enforces the deadlines and byte caps.';
const netClientBan = ['http', 'https', 'http2', 'node:http', 'node:https', 'node:http2'].map((name) => ({ name, message: NET_CLIENT_MESSAGE }));
const netCallBan = [
  { selector: "CallExpression[callee.object.name=/^(net|tls)$/][callee.property.name=/^(connect|createConnection)$/]", message: NET_CLIENT_MESSAGE },
  { selector: "NewExpression[callee.object.name='net'][callee.property.name='Socket']", message: NET_CLIENT_MESSAGE },
  { selector: "CallExpression[callee.name='fetch']", message: NET_CLIENT_MESSAGE },
];
// Which core domain may import which (longhaul/domain-imports). Lower layers never import higher ones: a domain that
// needs something from above takes it as a small delegate interface. `app` assembles everything; nothing imports it
// except through the listed exceptions in APP_TYPES (types and the identity of the install).
const FOUNDATION = ['platform', 'log'];
export const DOMAIN_MATRIX = {
  platform: ['log'],
  log: ['platform'],
  findings: [],
  security: [...FOUNDATION],
  net: [...FOUNDATION, 'profiles'], // profiles/ip: the address and prefix maths
  capacity: [...FOUNDATION, 'net', 'profiles'],
  health: [...FOUNDATION, 'findings', 'net'],
  profiles: [...FOUNDATION, 'findings', 'app'],
  policy: [...FOUNDATION, 'findings', 'app'],
  tunnel: [...FOUNDATION, 'findings', 'net', 'profiles', 'policy', 'app'],
  checks: [...FOUNDATION, 'findings', 'net', 'profiles', 'tunnel', 'app'],
  stream: [...FOUNDATION, 'findings', 'net', 'capacity', 'profiles', 'policy', 'tunnel', 'checks', 'health', 'app'],
  report: [...FOUNDATION, 'findings', 'net', 'capacity', 'profiles', 'policy', 'tunnel', 'checks', 'stream', 'health', 'security', 'app'],
  app: [...FOUNDATION, 'findings', 'net', 'capacity', 'health', 'profiles', 'policy', 'tunnel', 'checks', 'stream', 'report', 'security'],
};
// Local networks have one source (core/net/local-networks.ts): a second reader of the interface list is how the
// route-conflict check and `up` came to disagree.
const NET_INTERFACES_MESSAGE = 'Read local networks through core/net/local-networks.ts (readLocalNetworks, osInterfaces): one source, so the route-conflict check and `up` agree.';
const networkInterfacesBan = [
  { selector: "MemberExpression[property.name='networkInterfaces']", message: NET_INTERFACES_MESSAGE },
  { selector: "ImportSpecifier[imported.name='networkInterfaces']", message: NET_INTERFACES_MESSAGE },
];
const nodeBan = nodeBuiltins.map((name) => ({ name, message: 'This code runs in the renderer/neutral environment: no Node modules.' }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'artifacts/**', 'playwright-report/**', '.lab/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { longhaul },
    rules: {
      'longhaul/environment-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['src-main/**/*.ts', 'scripts/**/*.{ts,mjs,cjs,js}', 'test/**/*.{ts,mjs,cjs,js}', 'e2e/**/*.ts', '*.{mjs,cjs,ts}', 'bin/**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['bin/**/*.cjs', 'scripts/**/*.cjs', 'test/fixtures/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Plain-Node code: never electron.
  {
    files: ['src-main/**/*.ts', 'scripts/**/*.{ts,mjs}', 'test/**/*.ts'],
    ignores: ['src-main/shell/**'],
    rules: {
      'no-restricted-imports': ['error', electronBan],
      'no-restricted-syntax': ['error', ...requireElectronBan, ...networkInterfacesBan],
    },
  },
  { files: ['src-main/shell/**/*.ts'], rules: { 'no-restricted-syntax': ['error', ...networkInterfacesBan] } },
  { files: ['src-main/shell/**/*.ts'], ignores: ['src-main/shell/ipc.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [dispatchBan] }] } },
  // The core and the CLI reach other machines only through core/platform/net-client.ts (connect, answer and overall
  // deadlines, a byte cap, an AbortSignal on every request). Local IPC to Longhaul's own helper service (a unix socket
  // or named pipe path, with its own deadline) is the one other client.
  {
    files: ['src-main/core/**/*.ts', 'src-main/cli/**/*.ts'],
    ignores: ['src-main/core/platform/net-client.ts', 'src-main/core/tunnel/service-client.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronBan.paths, ...netClientBan],
          patterns: [...electronBan.patterns, dispatchBan],
        },
      ],
      'no-restricted-syntax': ['error', ...requireElectronBan, ...netCallBan, ...networkInterfacesBan],
    },
  },
  // The core's layering (see DOMAIN_MATRIX).
  {
    files: ['src-main/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'longhaul/domain-imports': ['error', { matrix: DOMAIN_MATRIX }] },
  },
  // core/net owns the interface list (the one `os.networkInterfaces()` call).
  {
    files: ['src-main/core/net/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...requireElectronBan, ...netCallBan] },
  },
  // The contract: neutral (no Node, no Electron, nothing outside the contract but zod).
  {
    files: ['src-main/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronBan.paths, ...nodeBan],
          patterns: [
            ...electronBan.patterns,
            { regex: '^\\.\\./', message: 'The contract is self-contained: it may import zod and its own files only.' },
          ],
        },
      ],
    },
  },
  // The renderer: browser only.
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronBan.paths, ...nodeBan],
          patterns: [
            ...electronBan.patterns,
            {
              regex: 'src-main/(?!contract(/|$))',
              message: 'The renderer talks to main only through the contract (src-main/contract).',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...requireElectronBan],
    },
  },
);
