import { CallHandler, Injectable, NestInterceptor } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { finalize, Observable } from 'rxjs';

/**
 * Counts the route handlers running. A handler goes on after its client has gone away (a
 * purchase waiting in the write queue, say), and the HTTP server counts connections, not
 * handlers: without this, the database could close under a handler that is still writing.
 */
@Injectable()
export class HandlersInFlight implements NestInterceptor {
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    this.running++;
    return next.handle().pipe(
      finalize(() => {
        if (--this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      }),
    );
  }

  /** Resolves once no handler is running. */
  whenIdle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

/**
 * At shutdown Nest closes the HTTP server, then the database. Makes "closed" mean that every
 * handler has finished too, so nothing a request does meets a closed database.
 */
export function closeHttpOnlyWhenHandlersFinish(app: NestExpressApplication): void {
  const handlers = app.get(HandlersInFlight);
  app.useGlobalInterceptors(handlers);
  const adapter = app.getHttpAdapter();
  const closeServer = adapter.close.bind(adapter);
  adapter.close = async () => {
    await closeServer();
    await handlers.whenIdle();
  };
}
