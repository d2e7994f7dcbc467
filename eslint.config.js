// One lint gate for the repo. src/sim is the framework-free core (STYLE.md 1, 2):
// no React, DOM, zustand or UI imports, no wall time, no unseeded randomness,
// and XState actors only through the kernel's startActor (which gives them the sim clock).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const wallTime = 'The simulation runs on virtual time: use the kernel (kernel.now, kernel.after).';
const clusterElsewhere =
  'The live cluster may run in the Web Worker, not on this thread: ask it through a query (src/app/host/queries.ts, with useSimQuery, storeQuery or querySim), read the view state, or act through actOn.';
const clusterMember = '/^(cluster|history)$/';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['src/cli/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', '*.config.{ts,js}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/sim/**/*.ts'],
    ignores: ['src/sim/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'react', message: 'src/sim is framework-free (STYLE.md 1).' },
            { name: 'react-dom', message: 'src/sim is framework-free (STYLE.md 1).' },
            { name: 'zustand', message: 'src/sim is framework-free (STYLE.md 1).' },
            { name: '@xyflow/react', message: 'src/sim is framework-free (STYLE.md 1).' },
            { name: 'xstate', importNames: ['createActor'], message: 'Create actors with kernel/actors.ts startActor: it gives them the simulation clock.' },
          ],
          patterns: [
            { group: ['**/app/**', '**/scenario/**', '**/cli/**'], message: 'Arrows point inward: src/sim imports nothing from app, scenario or cli.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: wallTime },
        { name: 'setInterval', message: wallTime },
        { name: 'requestAnimationFrame', message: wallTime },
        { name: 'performance', message: wallTime },
        { name: 'window', message: 'src/sim has no DOM.' },
        { name: 'document', message: 'src/sim has no DOM.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the kernel Rng: every random draw comes from the seed.' },
        { object: 'Date', property: 'now', message: wallTime },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: wallTime },
      ],
    },
  },
  {
    // The UI reads the simulation only through queries and the store's view state (issue 9): store.cluster and
    // store.history are null when it runs in the Web Worker. The store itself, the console's session and the host layer may.
    files: ['src/app/**/*.{ts,tsx}'],
    ignores: ['src/app/store/cluster-store.ts', 'src/app/store/console-session.ts', 'src/app/host/**', 'src/app/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `MemberExpression[object.name='store'][property.name=${clusterMember}]`, message: clusterElsewhere },
        { selector: `MemberExpression[object.property.name='store'][property.name=${clusterMember}]`, message: clusterElsewhere },
        { selector: `MemberExpression[object.callee.name='useClusterStoreApi'][property.name=${clusterMember}]`, message: clusterElsewhere },
        { selector: `VariableDeclarator[init.name='store'] > ObjectPattern > Property[key.name=${clusterMember}]`, message: clusterElsewhere },
      ],
    },
  },
  {
    // The one exception: the kernel's actor factory is where createActor is called.
    files: ['src/sim/kernel/actors.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
