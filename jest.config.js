// Unit tests sit beside the code (src/**/*.spec.ts); end-to-end tests boot the real app (test/**/*.e2e-spec.ts).
// The e2e suite runs twice: on SQLite, and on PostgreSQL when it is reachable (mandatory with
// REQUIRE_TEST_SERVICES=1, as CI sets). Tests of the scale-out set-up (test/scale-out/) need PostgreSQL and Redis;
// the browser tests (test/browser/, once, on SQLite) need Debian's Chromium.
const { existsSync } = require('node:fs');
const net = require('node:net');

const postgresUrl = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://127.0.0.1:5432/test');
const redisUrl = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const servicesRequired = process.env.REQUIRE_TEST_SERVICES === '1';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const common = {
  testEnvironment: 'node',
  // NestJS 12 ships ES modules, which Jest on Node 20 cannot require: SWC compiles them to CommonJS too.
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest'] },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testTimeout: 60000,
};

function reachable(url, defaultPort) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || defaultPort) });
    socket.setTimeout(1000);
    socket.once('connect', () => resolve(true) || socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => resolve(false) || socket.destroy());
  });
}

module.exports = async () => {
  const postgres = await reachable(postgresUrl, 5432);
  const redis = await reachable(redisUrl, 6379);
  const missing = [
    !postgres && `PostgreSQL (${postgresUrl.host})`,
    !redis && `Redis (${redisUrl.host})`,
  ]
    .filter(Boolean)
    .join(' and ');
  if (missing && servicesRequired) {
    throw new Error(`REQUIRE_TEST_SERVICES=1 but ${missing} is not reachable`);
  }
  const chromium = existsSync(chromiumPath);
  if (!chromium && servicesRequired) {
    throw new Error(`REQUIRE_TEST_SERVICES=1 but Chromium is not at ${chromiumPath}`);
  }
  if (!chromium) {
    console.log(
      `Skipping the browser tests: no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH).`,
    );
  }
  if (missing) {
    console.log(
      `Skipping the ${postgres ? 'Redis' : 'PostgreSQL'} test runs: ${missing} not reachable ` +
        '(start them, or point TEST_POSTGRES_URL / TEST_REDIS_URL at them; see DEVELOPERS.md).',
    );
  }
  const projects = [
    {
      ...common,
      displayName: 'sqlite',
      roots: ['<rootDir>/src', '<rootDir>/test'],
      testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/scale-out/',
        ...(chromium ? [] : ['<rootDir>/test/browser/']),
      ],
    },
  ];
  if (postgres) {
    projects.push({
      ...common,
      displayName: 'postgres',
      roots: ['<rootDir>/test'],
      testRegex: '.*\\.e2e-spec\\.ts$',
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/browser/',
        ...(redis ? [] : ['<rootDir>/test/scale-out/']),
      ],
      setupFiles: ['<rootDir>/test/support/use-postgres.js'],
    });
  }
  return { projects, testTimeout: 60000 };
};
