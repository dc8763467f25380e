import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../common/worker-thread';
import type { MailJob, MailOutcome, MailRequest, MailThreadSettings } from './mail-thread.protocol';

/** A thread with nothing to send goes after this long, so an idle app holds no second V8 heap. */
const IDLE_MS = 10_000;

/** A mail the thread could not send; `responseCode` is the SMTP server's reply, when it gave one. */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly responseCode?: number,
  ) {
    super(message);
  }

  /** The mail server refused this mail for good (an SMTP 5xx reply, such as an unknown mailbox). */
  get permanent(): boolean {
    return this.responseCode !== undefined && this.responseCode >= 500 && this.responseCode < 600;
  }
}

/**
 * Sends mails through a worker thread of its own, started when there is mail and stopped
 * when there has been none for a while: composing a mail (templates, the QR image, MIME)
 * and talking SMTP cost milliseconds of CPU each, which a rush's bookings must not wait for.
 */
export class MailSender {
  private thread?: { worker: Worker; waiting: Map<number, (outcome: MailOutcome) => void> };
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly settings: MailThreadSettings) {}

  send(job: MailRequest): Promise<void> {
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    const thread = (this.thread ??= this.startThread());
    return new Promise<void>((resolve, reject) => {
      thread.waiting.set(id, (outcome) => {
        thread.waiting.delete(id);
        if (outcome.sent) resolve();
        else reject(new MailSendError(outcome.message, outcome.responseCode));
        if (thread.waiting.size === 0 && this.thread === thread) {
          this.idleTimer = setTimeout(() => void this.close(), IDLE_MS).unref();
        }
      });
      thread.worker.postMessage({ ...job, id } satisfies MailJob);
    });
  }

  /** Stops the thread; mails not yet answered count as failed (and are retried). */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const thread = this.thread;
    this.thread = undefined;
    await thread?.worker.terminate();
  }

  private startThread() {
    const worker = startWorker(join(__dirname, 'mail.thread'), { workerData: this.settings });
    const thread = { worker, waiting: new Map<number, (outcome: MailOutcome) => void>() };
    const failAll = (message: string) => {
      if (this.thread === thread) this.thread = undefined;
      for (const [id, settle] of thread.waiting) settle({ id, sent: false, message });
    };
    worker.on('message', (outcome: MailOutcome) => thread.waiting.get(outcome.id)?.(outcome));
    worker.on('error', (error) => failAll(`the mail thread failed: ${error.message}`));
    worker.on('exit', () => failAll('the mail thread stopped'));
    worker.unref();
    return thread;
  }
}
