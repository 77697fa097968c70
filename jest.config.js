// One Jest run for the whole repository. Two projects share the transform and aliases:
// unit tests (*.spec.ts) run in parallel; integration tests (*.int-spec.ts) start real
// Kafka / OpenBao / Consul through @opzero/testing and run one file at a time (2 cores).
const { pathsToModuleNameMapper } = require('./tools/test/paths');

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', require('./tools/test/swc-options')] },
  moduleNameMapper: pathsToModuleNameMapper(),
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['**/*.int-spec.ts'], setupFilesAfterEnv: ['<rootDir>/tools/test/integration-setup.js'], slowTestThreshold: 60 },
  ],
};
