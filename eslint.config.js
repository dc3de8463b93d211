import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Two tag axes (see STYLE.md): `scope:` says whose code it is, `type:` what kind of code.
// Apps sit on libs, libs never on apps, contracts only on contracts (utils may read contracts: @edd/http speaks the
// error catalogue of @edd/api-contracts).
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ...['gateway', 'auth', 'storage', 'compute', 'health', 'logs', 'notifications', 'docs', 'dashboard', 'e2e', 'tools'].map((scope) => ({
    sourceTag: `scope:${scope}`,
    onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
  })),
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/tmp/**',
      '**/.data/**',
      '**/test-results/**',
      '**/playwright-report/**',
      '**/*.js',
      '**/*.mjs',
      '**/vite.config.ts',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], banTransitiveDependencies: false, depConstraints },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // ssh2 is CommonJS: Vitest accepts named imports of it, plain Node (tsx, the bundle) does not.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'ssh2',
              importNames: ['Client', 'Server', 'utils', 'HTTPAgent', 'HTTPSAgent', 'AgentProtocol', 'BaseAgent'],
              message: "ssh2 is CommonJS: `import ssh2 from 'ssh2'` and use ssh2.Client / ssh2.utils (types may be imported by name).",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may assert presence with `!` where a failed assertion would already have thrown.
    files: ['**/*.test.ts', '**/*.test.tsx', '**/testing.ts', 'apps/e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['apps/dashboard/**/*.tsx', 'apps/dashboard/**/*.ts', 'libs/api-client/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
