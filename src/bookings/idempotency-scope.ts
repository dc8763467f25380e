import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { CSRF_COOKIE } from '../common/http/csrf.guard';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** A form's key belongs to the browser that posted it: the CSRF cookie every form post carries. */
export const browserScope = (req: Request): string =>
  `browser:${digest(String(req.cookies?.[CSRF_COOKIE] ?? ''))}`;

/** An API key belongs to the token that sent it. */
export const tokenScope = (req: Request): string =>
  `token:${digest(req.headers.authorization ?? '')}`;

/** What the bookings table stores for a key: its scope and itself, hashed to a fixed length. */
export const storedIdempotencyKey = ({ key, scope }: { key: string; scope: string }): string =>
  digest(`${scope}\n${key}`);
