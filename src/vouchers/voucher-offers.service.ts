import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { BuyerOffer } from '../events/event.view';
import { Voucher } from './entities/voucher.entity';
import { voucherOffer } from './voucher-pricing';
import { usableVoucher } from './voucher-usage';

/** What a typed code offers on the buy form, before anything is booked. */
@Injectable()
export class VoucherOffers {
  constructor(@InjectRepository(Voucher) private readonly vouchers: Repository<Voucher>) {}

  /** The code's offer; VoucherRefusedError when it cannot be used (unknown, expired, used up). */
  async find(eventId: number, typed: string): Promise<BuyerOffer> {
    return voucherOffer(await usableVoucher(this.vouchers.manager, eventId, typed, new Date()));
  }
}
