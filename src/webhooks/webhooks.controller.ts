import { Controller, Get, Post, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import { MemberAccess } from '../auth/guards/member-access.guard';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody } from '../common/forms/form.pipe';
import { postedList } from '../common/forms/posted-list';
import { IdParam } from '../common/http/id-param.decorator';
import { assertPageExists, neighbourPages, requestedPage } from '../common/http/pagination';
import { flash } from '../common/views/flash';
import { WebhookForm } from './dto/webhook.dto';
import { WebhookEndpoints, type WebhookScope } from './webhook-endpoints.service';
import { OrganisationWebhooks, organisationScope } from './webhook-scope.decorator';
import { WEBHOOK_EVENTS } from './webhook-events';

const DELIVERIES_PER_PAGE = 50;

/** /organiser/webhooks: the organisation's endpoints, and each one's deliveries (owners only). */
@Controller('organiser/webhooks')
@UseGuards(LoggedInGuard)
@MemberAccess('own')
export class WebhooksController {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  @Get()
  @Render('webhooks/list')
  list(@OrganisationWebhooks() scope: WebhookScope) {
    return this.view(scope, { events: [...WEBHOOK_EVENTS] }, {});
  }

  private async view(scope: WebhookScope, values: object, errors: object, secret?: object) {
    const posted = (values as { events?: unknown }).events;
    const ticked = new Set(posted === undefined ? [] : postedList(posted));
    return {
      title: 'Webhooks',
      endpoints: await this.endpoints.list(scope),
      events: WEBHOOK_EVENTS.map((name) => ({ name, checked: ticked.has(name) })),
      secret,
      values,
      errors,
    };
  }

  listAgain: FormView = (values, errors, req) =>
    this.view(organisationScope(req.user!), values, errors);

  /** The secret is on the answer's page, and never shown again. */
  @Post()
  @FormPage('webhooks/list', 'listAgain')
  async create(
    @OrganisationWebhooks() scope: WebhookScope,
    @FormBody(WebhookForm) form: WebhookForm,
    @Res() res: Response,
  ) {
    const { endpoint, secret } = await this.endpoints.create(scope, form.url, form.events);
    res
      .status(201)
      .render(
        'webhooks/list',
        await this.view(scope, { events: [...WEBHOOK_EVENTS] }, {}, { url: endpoint.url, secret }),
      );
  }

  @Get(':id')
  @Render('webhooks/deliveries')
  async deliveries(
    @OrganisationWebhooks() scope: WebhookScope,
    @IdParam() id: number,
    @Query('page') pageParam?: unknown,
  ) {
    const endpoint = await this.endpoints.find(scope, id);
    const page = requestedPage(pageParam);
    const { data, total } = await this.endpoints.deliveriesOf(scope, id, {
      limit: DELIVERIES_PER_PAGE,
      offset: (page - 1) * DELIVERIES_PER_PAGE,
    });
    assertPageExists(page, data.length);
    return {
      title: `Webhook deliveries to ${endpoint.url}`,
      endpoint,
      deliveries: data,
      total,
      ...neighbourPages(page, DELIVERIES_PER_PAGE, total),
    };
  }

  @Post(':id/test')
  async sendTest(
    @OrganisationWebhooks() scope: WebhookScope,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.endpoints.sendTest(scope, id);
    flash(req, 'success', 'A test delivery (webhook.test) is on its way: its outcome shows below.');
    return res.redirect(303, `/organiser/webhooks/${id}`);
  }

  @Post(':id/rotate-secret')
  async rotate(
    @OrganisationWebhooks() scope: WebhookScope,
    @IdParam() id: number,
    @Res() res: Response,
  ) {
    const endpoint = await this.endpoints.find(scope, id);
    const secret = await this.endpoints.rotateSecret(scope, id);
    res
      .status(200)
      .render(
        'webhooks/list',
        await this.view(scope, { events: [...WEBHOOK_EVENTS] }, {}, { url: endpoint.url, secret }),
      );
  }

  @Post(':id/delete')
  async remove(
    @OrganisationWebhooks() scope: WebhookScope,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.endpoints.remove(scope, id);
    flash(req, 'success', 'The endpoint was removed: it hears nothing more.');
    return res.redirect(303, '/organiser/webhooks');
  }
}
