import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

/** Provides the one AppConfig the process built at start-up (main.ts, or a test) to every module. */
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
