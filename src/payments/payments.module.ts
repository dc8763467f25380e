import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { PaymentOptions } from './payment-options.service';
import { StripeGateway } from './stripe-gateway';

/** The ways of taking money; bookings ask it what to offer, and hold tickets while it is paid. */
@Module({
  imports: [SettingsModule],
  providers: [PaymentOptions, StripeGateway],
  exports: [PaymentOptions, StripeGateway],
})
export class PaymentsModule {}
