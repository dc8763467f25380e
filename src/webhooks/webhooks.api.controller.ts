import { Body, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
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
import { WebhookEndpoints, type WebhookScope } from './webhook-endpoints.service';
import { SiteWebhooks } from './webhook-scope.decorator';

/** The site's webhook endpoints, told of every event's bookings (organisations have theirs on /organiser/webhooks). */
@AdminApiController('webhooks')
export class WebhooksApiController {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  @Post()
  @ApiJson(201, CreatedWebhookResponse, 'Registered; the secret is shown only here')
  @ApiProblem(409, 'The site has its ten endpoints already')
  async create(
    @SiteWebhooks() scope: WebhookScope,
    @Body() body: CreateWebhookDto,
  ): Promise<CreatedWebhookResponse> {
    const { endpoint, secret } = await this.endpoints.create(scope, body.url, body.events);
    return { ...webhookJson(endpoint), secret };
  }

  @Get()
  @ApiJson(200, WebhookList)
  async list(@SiteWebhooks() scope: WebhookScope): Promise<WebhookList> {
    return { data: (await this.endpoints.list(scope)).map(webhookJson) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Removed, with its deliveries' })
  async remove(@SiteWebhooks() scope: WebhookScope, @IdParam() id: number): Promise<void> {
    await this.endpoints.remove(scope, id);
  }

  @Get(':id/deliveries')
  @ApiJson(200, DeliveryPage, 'Newest first')
  async deliveries(
    @SiteWebhooks() scope: WebhookScope,
    @IdParam() id: number,
    @Query() query: PaginationQuery,
  ): Promise<DeliveryPage> {
    const { data, total } = await this.endpoints.deliveriesOf(scope, id, query);
    return { data: data.map(deliveryJson), total, limit: query.limit, offset: query.offset };
  }
}
