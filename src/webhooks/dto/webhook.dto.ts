import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length } from 'class-validator';
import { PageOf } from '../../common/http/api-responses';
import { postedList } from '../../common/forms/posted-list';
import { NoControlCharacters } from '../../common/forms/text.decorators';
import type { DeliveryStatus } from '../entities/webhook-delivery.entity';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../webhook-events';

const EVENTS_MESSAGE = `Choose at least one of ${WEBHOOK_EVENTS.join(', ')}`;

/** `POST /api/v1/webhooks`, and the form on /organiser/webhooks (events as ticked boxes). */
export class CreateWebhookDto {
  @ApiProperty({ example: 'https://example.org/hooks/boxoffice', maxLength: 2000 })
  @NoControlCharacters()
  @Length(1, 2000, { message: 'Enter the URL (at most 2000 characters)' })
  @IsString({ message: 'Enter the URL' })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['booking.confirmed'] })
  @IsIn(WEBHOOK_EVENTS, { each: true, message: EVENTS_MESSAGE })
  @ArrayUnique({ message: 'Name each event once' })
  @ArrayMinSize(1, { message: EVENTS_MESSAGE })
  @IsArray({ message: EVENTS_MESSAGE })
  events!: WebhookEvent[];
}

/** The form posts the ticked boxes as a list (or none at all). */
export class WebhookForm extends CreateWebhookDto {
  @Transform(({ value }: { value: unknown }) => (value === undefined ? [] : postedList(value)))
  declare events: WebhookEvent[];
}

export class WebhookResponse {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  events!: WebhookEvent[];

  @ApiProperty()
  createdAt!: Date;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    description: 'Signs every delivery (Boxoffice-Signature); shown only in this answer',
  })
  secret!: string;
}

export class WebhookList {
  @ApiProperty({ type: [WebhookResponse] })
  data!: WebhookResponse[];
}

export class DeliveryResponse {
  @ApiProperty()
  id!: number;

  @ApiProperty({ example: 'booking.confirmed' })
  event!: string;

  @ApiProperty({ description: 'Attempts made so far' })
  attempt!: number;

  @ApiProperty({ enum: ['delivered', 'failed', 'pending'] })
  status!: DeliveryStatus;

  @ApiProperty({ nullable: true, type: Number, description: "The receiver's last HTTP status" })
  responseCode!: number | null;

  @ApiProperty()
  createdAt!: Date;
}

export class DeliveryPage extends PageOf(DeliveryResponse) {}
