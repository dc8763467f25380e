import { Module } from '@nestjs/common';
import { CancelledDateVouchers } from './cancelled-date-vouchers';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { Voucher } from './entities/voucher.entity';
import { VoucherOffers } from './voucher-offers.service';
import { VoucherSweeper } from './voucher-sweeper';
import { VouchersApiController } from './vouchers.api.controller';
import { VouchersController } from './vouchers.controller';
import { VouchersService } from './vouchers.service';

@Module({
  imports: [TypeOrmModule.forFeature([Voucher]), EventsModule, AuthModule],
  controllers: [VouchersController, VouchersApiController],
  providers: [VouchersService, VoucherOffers, VoucherSweeper, CancelledDateVouchers],
  exports: [VoucherOffers, VouchersService],
})
export class VouchersModule {}
