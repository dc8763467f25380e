import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, SendMailOptions, Transporter } from 'nodemailer';
import type { MailConfig } from '../config/app-config';

/**
 * Hands a mail to the SMTP server of `SMTP_URL`; without one, writes it as an `.eml` file
 * (the whole message as a mail server would receive it) to the outbox directory.
 */
export class MailTransport {
  private readonly transporter: Transporter;

  constructor(private readonly config: Pick<MailConfig, 'smtpUrl' | 'outboxDir'>) {
    this.transporter = config.smtpUrl
      ? createTransport({
          url: config.smtpUrl,
          // A rush's mails go over a few kept-open connections, not one connection each.
          pool: true,
          maxConnections: 5,
          // A server that accepts the connection and then says nothing must not hold a mail for minutes.
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  /** `name` tells the `.eml` files apart (it is unused with SMTP). */
  async send(mail: SendMailOptions, name: string): Promise<void> {
    const info = await this.transporter.sendMail(mail);
    if (this.config.smtpUrl) return;
    const dir = this.config.outboxDir;
    const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}.eml`);
    await mkdir(dir, { recursive: true });
    // Written whole, then renamed: a reader never sees half a mail.
    await writeFile(`${file}.tmp`, info.message as Buffer);
    await rename(`${file}.tmp`, file);
  }
}
