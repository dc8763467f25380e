import { Global, Module } from '@nestjs/common';
import { DomainEvents } from '../domain-events/domain-events.service';
import { PageCache } from './page-cache';

@Global()
@Module({
  providers: [
    {
      provide: PageCache,
      inject: [DomainEvents],
      useFactory: (events: DomainEvents) => {
        const cache = new PageCache();
        // Whatever a public page shows changes only with a domain event: exact invalidation, in this process.
        events.onCommitted(() => cache.invalidate());
        return cache;
      },
    },
  ],
  exports: [PageCache],
})
export class PageCacheModule {}
