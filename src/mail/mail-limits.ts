import type { MailLimits } from '../config/app-config';

export interface DueMail {
  id: number;
  recipient: string;
  eventId: number | null;
}

/** What happens to each due mail of a batch, in its order. */
export interface MailVerdicts<Mail extends DueMail> {
  send: Mail[];
  suppress: Mail[];
  postpone: Mail[];
}

/** Whose count a recipient adds to: addresses differ only in case for mail servers. */
export const recipientKey = (recipient: string) => recipient.toLowerCase();

/**
 * Sorts a batch of due mails by the caps, given how many each recipient (by recipientKey) and
 * each event have had already in their windows (sent, or being sent). Earlier mails of the
 * batch count against later ones.
 */
export function applyMailLimits<Mail extends DueMail>(
  batch: Mail[],
  limits: MailLimits,
  usedByRecipient: Map<string, number>,
  usedByEvent: Map<number, number>,
): MailVerdicts<Mail> {
  const byRecipient = new Map(usedByRecipient);
  const byEvent = new Map(usedByEvent);
  const verdicts: MailVerdicts<Mail> = { send: [], suppress: [], postpone: [] };
  for (const mail of batch) {
    const recipient = recipientKey(mail.recipient);
    const toRecipient = byRecipient.get(recipient) ?? 0;
    if (limits.perRecipientPerHour > 0 && toRecipient >= limits.perRecipientPerHour) {
      verdicts.suppress.push(mail);
      continue;
    }
    const ofEvent = mail.eventId === null ? 0 : (byEvent.get(mail.eventId) ?? 0);
    if (limits.perEventPerMinute > 0 && ofEvent >= limits.perEventPerMinute) {
      verdicts.postpone.push(mail);
      continue;
    }
    byRecipient.set(recipient, toRecipient + 1);
    if (mail.eventId !== null) byEvent.set(mail.eventId, ofEvent + 1);
    verdicts.send.push(mail);
  }
  return verdicts;
}
