// Unit specs beside the code (*.spec.ts); integration (*.int-spec.ts) and end-to-end specs (test/e2e) against real PostgreSQL and Redis.
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
    // ESM-only dependencies (Node 20 requires them natively; jest's CommonJS runtime needs them compiled).
    '^.+/node_modules/(kdbush|flatbush|flatqueue)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(kdbush|flatbush|flatqueue)/)'],
  moduleNameMapper: {
    '^@app/migrations$': '<rootDir>/migrations',
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
  },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // One file at a time: several specs prove "this request wrote nothing" by counting rows in the run's database.
  maxWorkers: 1,
};
