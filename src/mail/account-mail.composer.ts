import { join } from 'node:path';
import type { SendMailOptions } from 'nodemailer';
import type { AccountLinkMail } from '../auth/account/account-tokens.service';
import type { RenderTemplate } from '../common/views/handlebars-engine';
import type { MailConfig } from '../config/app-config';
import type { MailSite } from './mail-thread.protocol';

const SUBJECTS: Record<AccountLinkMail['purpose'], string> = {
  password_reset: 'Reset your password',
  email_change: 'Confirm your new email address',
};

/** Writes the mail of an account link (`views/mail/account.{text,html}.hbs`): a reset, an address to confirm. */
export class AccountMailComposer {
  constructor(
    private readonly render: RenderTemplate,
    private readonly mailViewsDir: string,
    private readonly settings: { publicUrl: string; from: MailConfig['from'] },
  ) {}

  compose(recipient: string, link: AccountLinkMail, site: MailSite): SendMailOptions {
    const { publicUrl, from } = this.settings;
    const view = {
      link,
      siteName: site.name,
      url: `${publicUrl}${link.path}`,
      passwordReset: link.purpose === 'password_reset',
    };
    return {
      from: { name: from.name ?? site.name, address: from.address },
      to: { name: link.displayName, address: recipient },
      subject: `${SUBJECTS[link.purpose]} on ${site.name}`,
      text: this.render(join(this.mailViewsDir, 'account.text.hbs'), view),
      html: this.render(join(this.mailViewsDir, 'account.html.hbs'), view),
    };
  }
}
