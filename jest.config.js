// Unit tests sit beside the code (src/**/*.spec.ts); end-to-end tests boot the real app (test/**/*.e2e-spec.ts).
// NestJS 12 ships ES modules, which Jest on Node 20 cannot require: SWC compiles them to CommonJS too.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest'] },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testTimeout: 60000,
};
