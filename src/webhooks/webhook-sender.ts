import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isPrivateAddress, publicOnlyLookup } from './webhook-target';

/** What a receiver answered: its status; the body is read (up to a little) and dropped. */
export interface ReceiverAnswer {
  status: number;
}

/** Answers are read no further than this: a receiver cannot make the worker hold a large body. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs one delivery. The whole exchange (connecting, sending, the answer) must be over within
 * `timeoutMs`; redirects are not followed (a 3xx is not a 2xx, so it is retried, and a redirect
 * cannot lead inward); unless private targets are allowed, the connection goes only to public
 * addresses (checked on the address the name resolves to at this moment).
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<ReceiverAnswer> {
  const target = new URL(url);
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(literal) && isPrivateAddress(literal))
    return Promise.reject(new Error(`${literal} is not a public address`));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Boxoffice-Webhooks/1',
        },
        lookup: publicOnlyLookup(options.allowPrivate),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on('close', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', (error: Error & { name: string }) =>
      reject(
        error.name === 'AbortError' || error.name === 'TimeoutError'
          ? new Error(`no answer within ${options.timeoutMs / 1000} s`)
          : error,
      ),
    );
    req.end(body);
  });
}
