import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nextCookieHeader } from './cookies';
import { insertEvent, startTestApp } from './test-app';
import type { TestDatabase } from './test-database';

const DIST = join(__dirname, '..', '..', 'dist', 'src');

/** The built app (`npm run build`) running as a real child process, started and stopped by signals. */
export class AppProcess {
  output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts `dist/src/<entry>.js` on a free port; `waitUntilServing` waits for /healthz to answer 200. */
  static async start(entry: 'main' | 'cluster', env: NodeJS.ProcessEnv): Promise<AppProcess> {
    const script = join(DIST, `${entry}.js`);
    if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build first`);
    const port = await freePort();
    const outboxDir = mkdtempSync(join(tmpdir(), 'boxoffice-outbox-'));
    const child = spawn(process.execPath, [script], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        // Its mails (.eml files) stay out of the repository's data/, on PostgreSQL too.
        OUTBOX_DIR: outboxDir,
        // Every buyer of these tests comes from 127.0.0.1 (see test-app.ts).
        PURCHASES_PER_IP_PER_MINUTE: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.once('exit', () => rmSync(outboxDir, { recursive: true, force: true }));
    return new AppProcess(child, port);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async waitUntilServing(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exit = await Promise.race([this.exited, sleep(100).then(() => undefined)]);
      if (exit !== undefined)
        throw new Error(`exited with ${exit} before serving:\n${this.output}`);
      const healthy = await fetch(`${this.url}/healthz`).then(
        (res) => res.ok,
        () => false,
      );
      if (healthy) return;
      if (Date.now() > deadline)
        throw new Error(`not serving after ${timeoutMs} ms:\n${this.output}`);
    }
  }

  /** Sends the signal and resolves with the exit code. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }

  exitCode(): Promise<number | null> {
    return this.exited;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Answer {
  status?: number;
  location?: string;
  /** The connection error instead of an answer (ECONNREFUSED, ECONNRESET…). */
  error?: string;
}

/**
 * One request on its own connection (no keep-alive), so each one either reaches the server or
 * fails; from `localAddress` (in 127.0.0.0/8) when given, as a visitor of a crowd of their own.
 */
export function send(
  url: string,
  method: string,
  body = '',
  cookie = '',
  localAddress?: string,
): Promise<Answer & { text: string; cookie: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      {
        method,
        agent: false,
        localAddress,
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            location: res.headers.location,
            text,
            cookie: nextCookieHeader(cookie, res.headers['set-cookie']),
          }),
        );
        res.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ error: error.code ?? error.message, text, cookie }),
        );
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code ?? error.message, text: '', cookie }),
    );
    req.end(body);
  });
}

/** Sends a request and hangs up as soon as it is sent, as a client that gives up waiting does. */
export function sendAndHangUp(url: string, method: string, body: string, cookie: string): void {
  const req = httpRequest(url, {
    method,
    agent: false,
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  req.on('error', () => undefined);
  req.on('finish', () => req.destroy());
  req.end(body);
}

export interface ProcessBuyer {
  cookie: string;
  csrf: string;
}

/** `count` buyers of one event on a running app, each with its own session and CSRF token. */
export function buyersOn(app: AppProcess, eventId: number, count: number): Promise<ProcessBuyer[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const form = await send(`${app.url}/buy-tickets/${eventId}`, 'GET');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
      if (!csrf) throw new Error(`no buy form (${form.status ?? form.error})`);
      return { cookie: form.cookie, csrf };
    }),
  );
}

/** The purchase form's fields for one ticket of `ticketTypeId`. */
export const oneTicketForm = (
  buyer: ProcessBuyer,
  ticketTypeId: number,
  idempotencyKey: string,
  attendeeName = 'Process Buyer',
) =>
  new URLSearchParams({
    _csrf: buyer.csrf,
    idempotencyKey,
    attendeeName,
    attendeeEmail: 'buyer@example.com',
    [`quantities[${ticketTypeId}]`]: '1',
  }).toString();

/** Buys one ticket of `ticketTypeId` through the purchase form. */
export function purchaseOne(
  app: AppProcess,
  buyer: ProcessBuyer,
  eventId: number,
  ticketTypeId: number,
  idempotencyKey: string,
): Promise<Answer> {
  const body = oneTicketForm(buyer, ticketTypeId, idempotencyKey);
  return send(`${app.url}/purchase/${eventId}`, 'POST', body, buyer.cookie);
}

/** Prepares `database` for a process test: migrated, with one published event of 100,000 tickets. */
export async function seedOnSale(database: TestDatabase) {
  const seeding = await startTestApp({ DATABASE_URL: database.url });
  try {
    return await insertEvent(seeding, { ticketTypes: [{ capacity: 100_000 }] });
  } finally {
    await seeding.close();
  }
}
