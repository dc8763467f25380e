import { join } from 'node:path';
import type { SendMailOptions } from 'nodemailer';
import type { RenderTemplate } from '../common/views/handlebars-engine';
import type { MailConfig } from '../config/app-config';
import type { InvitationMail } from '../teams/invitations.service';
import type { MailSite } from './mail-thread.protocol';

/** Writes an invitation to join an organisation (`views/mail/invitation.{text,html}.hbs`). */
export class InvitationMailComposer {
  constructor(
    private readonly render: RenderTemplate,
    private readonly mailViewsDir: string,
    private readonly settings: { publicUrl: string; from: MailConfig['from'] },
  ) {}

  compose(recipient: string, invitation: InvitationMail, site: MailSite): SendMailOptions {
    const { publicUrl, from } = this.settings;
    const view = { invitation, siteName: site.name, url: `${publicUrl}${invitation.path}` };
    return {
      from: { name: from.name ?? site.name, address: from.address },
      to: recipient,
      subject: `Join ${invitation.organisationName} on ${site.name}`,
      text: this.render(join(this.mailViewsDir, 'invitation.text.hbs'), view),
      html: this.render(join(this.mailViewsDir, 'invitation.html.hbs'), view),
    };
  }
}
