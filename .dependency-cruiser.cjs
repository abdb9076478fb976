/**
 * Layer rules, checked in `npm test` (npm run lint:deps); docs/architecture-layers.md explains
 * them. Dependencies point down: core (plumbing) knows no feature; a feature module is used by
 * others only through its public surface, `src/modules/<name>/index.ts` (connectors also has
 * entries for its two lower layers, `contract/index.ts` and `catalog/index.ts`); the connector
 * contract is a leaf; the catalog sits below credentials.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-module',
      comment: 'src/core is shared plumbing: it must not know any feature module or the app module.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: ['^src/modules/', '^src/app\\.module\\.ts$', '^src/flowgate-app\\.ts$', '^src/main\\.ts$'] },
    },
    {
      name: 'modules-through-public-api',
      comment: 'Another module is used only through its index.ts (what it chooses to expose), never its internals.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/([^/]+)/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$', '^src/modules/connectors/(contract|catalog)/index\\.ts$'],
      },
    },
    {
      name: 'connector-contract-is-a-leaf',
      comment: 'The connector contract is what connectors and credentials share; it depends on no feature module.',
      severity: 'error',
      from: { path: '^src/modules/connectors/contract/' },
      to: { path: '^src/modules/', pathNot: '^src/modules/connectors/contract/' },
    },
    {
      name: 'connector-catalog-below-credentials',
      comment:
        'The catalog (registry, context, params, the providers it lists) is what credentials build on: it depends on the contract only, never on credentials, the invoker or another module.',
      severity: 'error',
      from: { path: ['^src/modules/connectors/(catalog|providers)/', '^src/modules/connectors/connector-list\\.ts$'] },
      to: {
        path: '^src/modules/',
        pathNot: ['^src/modules/connectors/(catalog|contract|providers)/', '^src/modules/connectors/connector(-list|\\.types)\\.ts$'],
      },
    },
    {
      name: 'no-circular-modules',
      comment: 'Modules form a hierarchy: two modules that import each other are one concern or need a leaf between them.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-does-not-import-tests',
      severity: 'error',
      from: { path: '^src/', pathNot: '(__tests__/|\\.spec\\.ts$)' },
      to: { path: ['^test/', '^bench/', '__tests__/', '\\.spec\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
