import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { SESSION_COOKIE } from '../common/http/session-cookie';

/** The public pages worth keeping: the home page, the list of events, an event's page (on one of its dates). */
const CACHEABLE = /^\/(attendee(\?page=\d{1,6})?|event\/\d{1,10}(\?date=\d{1,10})?)?$/;
/** Other processes may change what a page shows: this bounds how stale a kept copy can be. */
export const PAGE_TTL_MS = 1000;
/** However many events there are, the copies kept stay within these; the oldest go first. */
export const MAX_PAGES = 1000;
export const MAX_BYTES = 32 * 1024 * 1024;

interface Entry {
  headers: OutgoingHttpHeaders;
  body: Buffer;
  storedAt: number;
}

/**
 * Rendered public pages for visitors without a session, kept for at most a second and
 * dropped the moment anything is written in this process (a booking, an edit, a
 * publish, a settings change: every committed transaction), so tickets-left is never
 * stale here. Served before Express and Nest even look at the request.
 */
export class PageCache {
  /** In the order they were stored, oldest first. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private version = 0;

  /** Forgets every kept page; pages rendered from reads made before this are not kept. */
  invalidate(): void {
    this.version++;
    this.entries.clear();
    this.bytes = 0;
  }

  /**
   * Answers a public page from a fresh copy (true), or lets the app answer (false), keeping
   * what it sends when the page may be shared.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (!isCacheable(req)) return false;
    const entry = this.entries.get(req.url!);
    if (entry && Date.now() - entry.storedAt <= PAGE_TTL_MS) {
      res.writeHead(200, { ...entry.headers, 'x-request-id': randomUUID() });
      res.end(entry.body);
      return true;
    }
    this.capture(req, res);
    return false;
  }

  /** Keeps the page the app is about to send, unless something was written while it was rendered. */
  private capture(req: IncomingMessage, res: ServerResponse): void {
    const version = this.version;
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk) chunks.push(Buffer.from(chunk as string));
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
      const headers = res.getHeaders();
      if (res.statusCode === 200 && !headers['set-cookie'] && version === this.version) {
        this.keep(req.url!, { headers, body: Buffer.concat(chunks), storedAt: Date.now() });
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
  }

  private keep(url: string, entry: Entry): void {
    this.forget(url);
    this.entries.set(url, entry);
    this.bytes += entry.body.length;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= MAX_PAGES && this.bytes <= MAX_BYTES) break;
      this.forget(oldest);
    }
  }

  private forget(url: string): void {
    const entry = this.entries.get(url);
    if (!entry) return;
    this.entries.delete(url);
    this.bytes -= entry.body.length;
  }
}

/** A GET of a public page, from a visitor with no session (so the page is the same for all). */
function isCacheable(req: IncomingMessage): boolean {
  return (
    req.method === 'GET' &&
    CACHEABLE.test(req.url ?? '') &&
    !(req.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`)
  );
}
