import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { PaymentOptions } from './payment-options.service';

/** The ways of taking money; bookings ask it what to offer, and hold tickets while it is paid. */
@Module({
  imports: [SettingsModule],
  providers: [PaymentOptions],
  exports: [PaymentOptions],
})
export class PaymentsModule {}
