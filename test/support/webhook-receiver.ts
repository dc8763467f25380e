import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receipt {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for an integration's webhook receiver: it keeps
 * every request, and answers as `answer` says (a status, or 'hang' to never answer).
 */
export class WebhookReceiver {
  readonly receipts: Receipt[] = [];
  /** How to answer a request to `path` that is its `seen`-th (from 0), with this body. */
  answer: (path: string, seen: number, body: string) => number | 'hang' = () => 200;
  private server?: Server;
  private readonly hanging = new Set<() => void>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        const seen = this.receipts.filter((receipt) => receipt.path === path).length;
        const body = Buffer.concat(chunks).toString();
        const status = this.answer(path, seen, body);
        this.receipts.push({
          path,
          headers: req.headers,
          body,
          status: status === 'hang' ? 0 : status,
        });
        if (status === 'hang') {
          const end = () => res.destroy();
          this.hanging.add(end);
          req.socket.on('close', () => this.hanging.delete(end));
          return;
        }
        res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Requests it holds open without answering, now. */
  get hangingNow(): number {
    return this.hanging.size;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${path}`;
  }

  to(path: string): Receipt[] {
    return this.receipts.filter((receipt) => receipt.path === path);
  }

  async stop(): Promise<void> {
    for (const end of this.hanging) end();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** What a receiver does with `Boxoffice-Signature` (the README's example): true when it is genuine and fresh. */
export function verifySignature(
  secret: string,
  header: string | string[] | undefined,
  body: string,
  toleranceSeconds = 300,
): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
  if (!match) return false;
  const [, t, v1] = match;
  if (Math.abs(Date.now() / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
