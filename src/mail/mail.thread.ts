import { join } from 'node:path';
import type { SendMailOptions } from 'nodemailer';
import { parentPort, workerData } from 'node:worker_threads';
import { templateRenderer } from '../common/views/handlebars-engine';
import { BookingMailComposer } from './booking-mail.composer';
import { AccountMailComposer } from './account-mail.composer';
import { InvitationMailComposer } from './invitation-mail.composer';
import { OfferMailComposer } from './offer-mail.composer';
import { MailTransport } from './mail-transport';
import type { MailJob, MailOutcome, MailThreadSettings } from './mail-thread.protocol';

// The mail thread (see MailSender): composes each mail (templates, QR image, MIME) and hands it
// to the SMTP server or writes it as an .eml file, away from the thread that answers requests.
const settings = workerData as MailThreadSettings;
const render = templateRenderer(settings.viewsDir);
const bookingMails = new BookingMailComposer(render, join(settings.viewsDir, 'mail'), settings);
const offerMails = new OfferMailComposer(render, join(settings.viewsDir, 'mail'), settings);
const accountMails = new AccountMailComposer(render, join(settings.viewsDir, 'mail'), settings);
const invitationMails = new InvitationMailComposer(
  render,
  join(settings.viewsDir, 'mail'),
  settings,
);
const transport = new MailTransport(settings);
const port = parentPort!;

/** What went wrong, as the parent reports it: the message, and the SMTP reply code when there is one. */
function failure(job: MailJob, error: unknown): MailOutcome {
  const { message, responseCode } = (error ?? {}) as { message?: unknown; responseCode?: unknown };
  return {
    id: job.id,
    sent: false,
    message: String(message ?? error),
    responseCode: typeof responseCode === 'number' ? responseCode : undefined,
  };
}

port.on('message', (job: MailJob) => {
  let mail: SendMailOptions;
  try {
    mail =
      job.kind === 'waiting_list.offered'
        ? offerMails.compose(job.recipient, job.offer, job.site)
        : job.kind === 'team.invitation'
          ? invitationMails.compose(job.recipient, job.invitation, job.site)
          : 'link' in job
            ? accountMails.compose(job.recipient, job.link, job.site)
            : bookingMails.compose(job.kind, job.recipient, job.booking, job.site);
  } catch (error) {
    // This mail alone fails (and is retried, then given up, by the outbox); the thread goes on.
    port.postMessage(failure(job, error));
    return;
  }
  transport.send(mail, job.name).then(
    () => port.postMessage({ id: job.id, sent: true } satisfies MailOutcome),
    (error: unknown) => port.postMessage(failure(job, error)),
  );
});
