import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { openDatabase, writerFor } from './open-database';
import { TransactionRunner, WRITER } from './transaction-runner';

/** The database: reads through the repositories of each module, writes through TransactionRunner. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database),
        autoLoadEntities: true,
      }),
      dataSourceFactory: (options) => openDatabase(options!),
    }),
  ],
  providers: [{ provide: WRITER, inject: [DataSource], useFactory: writerFor }, TransactionRunner],
  exports: [TransactionRunner],
})
export class DatabaseModule {}
