import { createParamDecorator, ExecutionContext, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';

/** Route ids are positive integers; anything else ("abc", "3e0", "0x3") names nothing, so it is a 404, not a 400. */
export function parseId(value: unknown): number {
  const id = typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw new NotFoundException();
  return id;
}

/** An optional id in a query or form (`?date=12`): the id, or undefined for anything else. */
export function optionalId(value: unknown): number | undefined {
  try {
    return value === undefined ? undefined : parseId(value);
  } catch {
    return undefined;
  }
}

/**
 * `@IdParam() id: number` — the `:id` route parameter, strictly parsed. A custom
 * decorator rather than `@Param('id', pipe)`, so the global ValidationPipe does
 * not loosely convert "3e0" to 3 before the strict check sees it.
 */
export const IdParam = createParamDecorator(
  (name: string | undefined, context: ExecutionContext): number =>
    parseId(context.switchToHttp().getRequest<Request>().params[name ?? 'id']),
);
