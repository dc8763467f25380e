import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/http/api-responses';
import {
  WaitingListEntry,
  WaitingListStatus,
  waitingListStatus,
} from './entities/waiting-list-entry.entity';

export class WaitingListEntryResponse {
  @ApiProperty() id!: number;
  @ApiProperty() ticketTypeId!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['waiting', 'offered', 'redeemed', 'lapsed'] }) status!: WaitingListStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) offeredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The offer’s voucher code' })
  voucherCode!: string | null;
}

export class WaitingListPage extends PageOf(WaitingListEntryResponse) {}

/** The API's waiting-list entry shape (PRODUCT.md "Selling tools"). */
export function waitingListEntryJson(entry: WaitingListEntry): WaitingListEntryResponse {
  return {
    id: entry.id,
    ticketTypeId: entry.ticketTypeId,
    quantity: entry.quantity,
    name: entry.name,
    email: entry.email,
    status: waitingListStatus(entry),
    createdAt: entry.createdAt.toISOString(),
    offeredAt: entry.offeredAt?.toISOString() ?? null,
    voucherCode: entry.voucher?.code ?? null,
  };
}
