/** Unit tests (pure domain) and e2e/integration tests (real PostgreSQL) in one run. */
const swc = [
  '@swc/jest',
  {
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
  },
];
const shared = {
  transform: { '^.+\\.(t|j)s$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|load-esm|@seriousme)/)',
  ],
  moduleNameMapper: {
    '^@app/(domain|event-store|read-models|messaging|platform)$': '<rootDir>/libs/$1/src',
    '^@app/(domain|event-store|read-models|messaging|platform)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testEnvironment: 'node',
};

module.exports = {
  // Global, not per project: e2e tests wait for real brokers and databases (the outage test takes ~40 s).
  testTimeout: 180000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/support/**/*.spec.ts'] },
    {
      // Every e2e suite but the broker's: PostgreSQL and a build, no Java (`npm run test:no-kafka`).
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/kafka/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // The suites that talk to a real broker: their set-up also starts Kafka (docker/kafka/start.sh, Java)
      // unless KAFKA_BROKERS names one. Only this project's set-up ever starts it.
      ...shared,
      displayName: 'kafka',
      testMatch: ['<rootDir>/test/kafka/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup-kafka.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // Not part of `npm test` (no timing in the test suite): `npm run bench`.
      ...shared,
      displayName: 'bench',
      testMatch: ['<rootDir>/bench/**/*.bench.ts'],
      globalSetup: '<rootDir>/test/support/global-setup-kafka.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
