import { ApiProperty } from '@nestjs/swagger';
import type { QueueState, QueueStatus } from './queue-status';

export class QueueStatusResponse implements QueueStatus {
  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  onSaleAt!: string | null;

  @ApiProperty()
  admissionPerMinute!: number;

  @ApiProperty()
  admissionMinutes!: number;

  @ApiProperty()
  paused!: boolean;

  @ApiProperty({ enum: ['before', 'admitting', 'idle', 'paused', 'sold_out'] })
  state!: QueueState;

  @ApiProperty({ description: 'In line, not yet let in' })
  waiting!: number;

  @ApiProperty({ description: 'Let in, may buy now' })
  admitted!: number;

  @ApiProperty()
  purchased!: number;

  @ApiProperty({ description: 'Let in, did not buy in time' })
  lapsed!: number;
}
