/** @type {import('jest').Config} */
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swcOptions] },
  // ES-module-only dependencies that Jest must transform: Jest runs CommonJS through its own
  // module loader, which cannot require() an ES module even on Node 24.
  transformIgnorePatterns: ['/node_modules/(?!(@fastify/static/node_modules/)?content-disposition/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  maxWorkers: 2,
  testTimeout: 60_000,
  // Every suite closes its apps and fakes; what lingers past that are client sockets in
  // keep-alive and Redis reconnect timers from the outage tests. Never let them hold CI.
  forceExit: true,
  detectOpenHandles: false,
};
