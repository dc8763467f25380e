import cluster, { Worker } from 'node:cluster';
import { join } from 'node:path';
import { AppConfig, ConfigError } from './config/app-config';

const RESTART_DELAY_MIN_MS = 100;
const RESTART_DELAY_MAX_MS = 10_000;

/**
 * `npm run start:cluster`: WEB_CONCURRENCY app processes (default: one per CPU) sharing
 * one port, for PostgreSQL. Refused on SQLite: its writes are made safe by a queue
 * inside one process, and several processes on one file would only wait on each other.
 * A worker that dies later is replaced (with a growing delay while replacements keep
 * failing); SIGTERM/SIGINT is passed on, and the primary exits once every worker has
 * finished its in-flight requests: 0, or 1 if a worker failed.
 */
function startCluster(): void {
  const config = loadConfig();
  if (config.database.type === 'sqlite') {
    fail(
      'start:cluster needs PostgreSQL (DATABASE_URL=postgres://…); on SQLite run `npm start`, ' +
        'a single process that queues its writes',
    );
  }
  if (!config.redisUrl) {
    console.log(
      'boxoffice: REDIS_URL is not set: sessions are kept in PostgreSQL, ' +
        'and rate limits are counted by each worker on its own',
    );
  }
  cluster.setupPrimary({ exec: join(__dirname, 'main.js') });
  let stopping = false;
  let everyWorkerStarted = false;
  let failedExits = 0;
  let restartDelayMs = RESTART_DELAY_MIN_MS;
  const running = new Set<Worker>();
  const fork = () => running.add(cluster.fork());

  const listened = new Set<Worker>();
  cluster.on('listening', (worker) => {
    restartDelayMs = RESTART_DELAY_MIN_MS;
    listened.add(worker);
    everyWorkerStarted ||= listened.size >= config.webConcurrency;
  });
  cluster.on('exit', (worker, code, signal) => {
    running.delete(worker);
    listened.delete(worker);
    if (stopping) {
      if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT') failedExits++;
      if (running.size === 0) process.exit(failedExits ? 1 : 0);
      return;
    }
    // At first start a worker that fails would fail again (configuration, database down).
    if (!everyWorkerStarted) return stopAll(`a worker could not start (exit code ${code})`);
    // Later (a crash, or a replacement meeting an outage) keep trying, more slowly each time.
    console.error(
      `boxoffice: worker ${worker.process.pid} exited (${signal ?? code}); ` +
        `starting another in ${restartDelayMs} ms`,
    );
    setTimeout(() => stopping || fork(), restartDelayMs);
    restartDelayMs = Math.min(restartDelayMs * 2, RESTART_DELAY_MAX_MS);
  });

  /** Passes the signal on; the primary exits once every worker has finished (see 'exit'). */
  const stopAll = (reason: string, signal: NodeJS.Signals = 'SIGTERM') => {
    if (reason) {
      console.error(`boxoffice: ${reason}; stopping`);
      failedExits++;
    }
    stopping = true;
    if (running.size === 0) process.exit(failedExits ? 1 : 0);
    for (const worker of running) worker.process.kill(signal);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => stopAll('', signal));

  console.log(`boxoffice: starting ${config.webConcurrency} worker processes`);
  for (let i = 0; i < config.webConcurrency; i++) fork();
}

/** Loaded once here first, so a development session secret is created before the workers read it. */
function loadConfig(): AppConfig {
  try {
    return new AppConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

function fail(message: string): never {
  console.error(`boxoffice: cannot start: ${message}`);
  process.exit(1);
}

startCluster();
