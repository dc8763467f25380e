import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BYTES, MAX_PAGES, PageCache } from './page-cache';

/** The app behind the cache: renders `body` for every page it is asked for, and counts them. */
class App {
  rendered = 0;
  constructor(private readonly cache: PageCache) {}

  /** Asks for `url` as a visitor without a session; true when the cache answered. */
  get(url: string, body = `<p>${url}</p>`): boolean {
    const req = { method: 'GET', url, headers: {} } as IncomingMessage;
    const headers: Record<string, unknown> = { 'content-type': 'text/html' };
    const res = {
      statusCode: 200,
      getHeaders: () => headers,
      writeHead: () => res,
      write: () => true,
      end: () => res,
    } as unknown as ServerResponse;
    if (this.cache.handle(req, res)) return true;
    this.rendered++;
    res.end(body);
    return false;
  }
}

describe('PageCache', () => {
  let cache: PageCache;
  let app: App;
  let clock: jest.SpyInstance;

  beforeEach(() => {
    cache = new PageCache();
    app = new App(cache);
    // Time stands still: every kept copy stays fresh, so only the bounds can drop one.
    clock = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
  });
  afterEach(() => clock.mockRestore());

  it('answers a page it has kept without the app', () => {
    expect(app.get('/event/1')).toBe(false);
    expect(app.get('/event/1')).toBe(true);
    expect(app.rendered).toBe(1);
  });

  it('keeps each date of an event’s page apart, and no page with other queries', () => {
    expect(app.get('/event/1?date=7')).toBe(false);
    expect(app.get('/event/1?date=7')).toBe(true);
    expect(app.get('/event/1?date=8')).toBe(false);
    expect(app.get('/event/1?date=7&x=1')).toBe(false);
    expect(app.get('/event/1?date=7&x=1')).toBe(false);
  });

  it(`keeps at most ${MAX_PAGES} pages, letting the oldest go first`, () => {
    for (let id = 1; id <= MAX_PAGES + 1; id++) app.get(`/event/${id}`);
    expect(app.get(`/event/${MAX_PAGES + 1}`)).toBe(true);
    expect(app.get('/event/2')).toBe(true);
    expect(app.get('/event/1')).toBe(false);
  });

  it('keeps at most 32 MB of pages, letting the oldest go first', () => {
    const page = 'x'.repeat(1024 * 1024);
    const fitting = MAX_BYTES / page.length;
    for (let id = 1; id <= fitting + 1; id++) app.get(`/event/${id}`, page);
    expect(app.get(`/event/${fitting + 1}`)).toBe(true);
    expect(app.get('/event/2')).toBe(true);
    expect(app.get('/event/1')).toBe(false);
  });

  it('counts a page rendered again once: the fresh copy takes the stale one’s place', () => {
    const page = 'x'.repeat(1024 * 1024);
    const pages = Array.from({ length: 20 }, (_, i) => `/event/${i + 1}`);
    for (const url of pages) app.get(url, page);
    clock.mockReturnValue(1_000_000 + 60_000); // every copy is stale now
    for (const url of pages) expect(app.get(url, page)).toBe(false);
    for (const url of pages) expect(app.get(url, page)).toBe(true);
  });
});
