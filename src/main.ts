import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  // Validate the environment before Nest starts, so a bad value is one line, not a stack trace.
  const { port } = AppConfig.load();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false });
  configureApp(app);
  await app.listen(port);
  new Logger('Boxoffice').log(`listening on http://localhost:${port}`);
}

bootstrap().catch((error: unknown) => {
  // One clear line for a misconfigured start, not a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`boxoffice: cannot start: ${message}`);
  process.exit(1);
});
