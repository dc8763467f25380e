import { Global, Module } from '@nestjs/common';
import { TransactionRunner } from '../database/transaction-runner';
import { PageCache } from './page-cache';

@Global()
@Module({
  providers: [
    {
      provide: PageCache,
      inject: [TransactionRunner],
      useFactory: (transactions: TransactionRunner) => {
        const cache = new PageCache();
        // Every committed write may change a public page: exact invalidation, in this process.
        transactions.onCommit(() => cache.invalidate());
        return cache;
      },
    },
  ],
  exports: [PageCache],
})
export class PageCacheModule {}
