import { Injectable } from '@nestjs/common';
import { SettingsService } from '../settings/settings.service';
import type { BuyerPaymentMethod } from './payment-method';
import { StripeGateway } from './stripe-gateway';

/** Which ways of paying the site offers a buyer, from its settings. */
@Injectable()
export class PaymentOptions {
  constructor(
    private readonly settings: SettingsService,
    private readonly stripe: StripeGateway,
  ) {}

  /** The methods a buyer of a paid order may choose, in the order the pay page shows them. */
  async offered(): Promise<BuyerPaymentMethod[]> {
    const { bankTransferInstructions, onSitePayment } = await this.settings.get();
    const methods: BuyerPaymentMethod[] = [];
    if (this.stripe.enabled) methods.push('stripe');
    if (bankTransferInstructions) methods.push('bank_transfer');
    if (onSitePayment) methods.push('on_site');
    return methods;
  }

  /** Days a booking paid by transfer is held; undefined when the site takes no transfers. */
  async bankTransferDays(): Promise<number | undefined> {
    const { bankTransferInstructions, bankTransferDays } = await this.settings.get();
    return bankTransferInstructions ? bankTransferDays : undefined;
  }
}
