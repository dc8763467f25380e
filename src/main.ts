import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppLogger } from './app-logger';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { configureApp } from './configure-app';

/** In-flight requests get this long to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function bootstrap(): Promise<void> {
  // Validate the environment before Nest starts, so a bad value is one line, not a stack trace.
  const config = new AppConfig();
  const logger = new Logger('Boxoffice');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: new AppLogger(),
  });
  configureApp(app);
  await app.listen(config.port);
  logger.log(`listening on http://localhost:${config.port}`);
  // Nest's shutdown hooks (configureApp) stop accepting connections, let in-flight requests
  // finish, then close the database and Redis; this only bounds how long that may take.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal}: finishing in-flight requests, then exiting`);
      setTimeout(() => {
        logger.error(`requests still running after ${SHUTDOWN_GRACE_MS} ms; exiting`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
    });
  }
}

bootstrap().catch((error: unknown) => {
  // One clear line for a misconfigured start, not a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`boxoffice: cannot start: ${message}`);
  process.exit(1);
});
