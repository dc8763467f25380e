import { join } from 'node:path';
import type { SendMailOptions } from 'nodemailer';
import type { RenderTemplate } from '../common/views/handlebars-engine';
import type { MailConfig } from '../config/app-config';
import type { OfferDetails } from '../waiting-list/offer-details';
import type { MailSite } from './mail-thread.protocol';

/**
 * Writes a waiting-list offer's mail (`views/mail/offer.{text,html}.hbs`): which tickets are
 * held, until when, and the buy form's link with the code applied.
 */
export class OfferMailComposer {
  constructor(
    private readonly render: RenderTemplate,
    private readonly mailViewsDir: string,
    private readonly settings: { publicUrl: string; from: MailConfig['from'] },
  ) {}

  compose(recipient: string, offer: OfferDetails, site: MailSite): SendMailOptions {
    const { publicUrl, from } = this.settings;
    const view = {
      offer,
      site,
      siteName: site.name,
      buyUrl: `${publicUrl}/buy-tickets/${offer.eventId}?voucher=${encodeURIComponent(offer.code)}&date=${offer.dateId}`,
    };
    return {
      from: { name: from.name ?? site.name, address: from.address },
      to: { name: offer.name, address: recipient },
      subject: `Tickets for ${offer.eventTitle} are held for you`,
      text: this.render(join(this.mailViewsDir, 'offer.text.hbs'), view),
      html: this.render(join(this.mailViewsDir, 'offer.html.hbs'), view),
    };
  }
}
