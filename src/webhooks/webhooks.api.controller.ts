import { Body, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import type { SessionUser } from '../auth/session-user';
import { ApiJson, ApiProblem } from '../common/http/api-responses';
import { IdParam } from '../common/http/id-param.decorator';
import { PaginationQuery } from '../common/http/pagination.query';
import {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveryPage,
  WebhookList,
} from './dto/webhook.dto';
import { deliveryJson, webhookJson } from './webhook.json';
import { WebhookEndpoints } from './webhook-endpoints.service';

/** The token owner's webhook endpoints (an admin's hear of every event's bookings). */
@AdminApiController('webhooks')
export class WebhooksApiController {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  @Post()
  @ApiJson(201, CreatedWebhookResponse, 'Registered; the secret is shown only here')
  @ApiProblem(409, 'The account has its ten endpoints already')
  async create(
    @CurrentUser() user: SessionUser,
    @Body() body: CreateWebhookDto,
  ): Promise<CreatedWebhookResponse> {
    const { endpoint, secret } = await this.endpoints.create(user, body.url, body.events);
    return { ...webhookJson(endpoint), secret };
  }

  @Get()
  @ApiJson(200, WebhookList)
  async list(@CurrentUser() user: SessionUser): Promise<WebhookList> {
    return { data: (await this.endpoints.list(user)).map(webhookJson) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Removed, with its deliveries' })
  async remove(@CurrentUser() user: SessionUser, @IdParam() id: number): Promise<void> {
    await this.endpoints.remove(user, id);
  }

  @Get(':id/deliveries')
  @ApiJson(200, DeliveryPage, 'Newest first')
  async deliveries(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query() query: PaginationQuery,
  ): Promise<DeliveryPage> {
    const { data, total } = await this.endpoints.deliveriesOf(user, id, query);
    return { data: data.map(deliveryJson), total, limit: query.limit, offset: query.offset };
  }
}
