import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { templateRenderer } from '../common/views/handlebars-engine';
import { BookingMailComposer } from './booking-mail.composer';
import { MailTransport } from './mail-transport';
import type { MailJob, MailOutcome, MailThreadSettings } from './mail-thread.protocol';

// The mail thread (see MailSender): composes each mail (templates, QR image, MIME) and hands it
// to the SMTP server or writes it as an .eml file, away from the thread that answers requests.
const settings = workerData as MailThreadSettings;
const composer = new BookingMailComposer(
  templateRenderer(settings.viewsDir),
  join(settings.viewsDir, 'mail'),
  settings,
);
const transport = new MailTransport(settings);
const port = parentPort!;

port.on('message', (job: MailJob) => {
  const mail = composer.compose(job.kind, job.recipient, job.booking, job.siteName);
  transport.send(mail, job.name).then(
    () => port.postMessage({ id: job.id, sent: true } satisfies MailOutcome),
    (error: unknown) => {
      const { message, responseCode } = (error ?? {}) as {
        message?: unknown;
        responseCode?: unknown;
      };
      port.postMessage({
        id: job.id,
        sent: false,
        message: String(message ?? error),
        responseCode: typeof responseCode === 'number' ? responseCode : undefined,
      } satisfies MailOutcome);
    },
  );
});
