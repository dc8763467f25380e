import { Controller, Get, Post, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import { LoggedInGuard } from '../auth/guards/logged-in.guard';
import type { SessionUser } from '../auth/session-user';
import { FormPage, FormView } from '../common/forms/form-page';
import { FormBody } from '../common/forms/form.pipe';
import { postedList } from '../common/forms/posted-list';
import { IdParam } from '../common/http/id-param.decorator';
import { assertPageExists, neighbourPages, requestedPage } from '../common/http/pagination';
import { flash } from '../common/views/flash';
import { WebhookForm } from './dto/webhook.dto';
import { WebhookEndpoints } from './webhook-endpoints.service';
import { WEBHOOK_EVENTS } from './webhook-events';

const DELIVERIES_PER_PAGE = 50;

/** /organiser/webhooks: the account's endpoints, and each one's deliveries. */
@Controller('organiser/webhooks')
@UseGuards(LoggedInGuard)
export class WebhooksController {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  @Get()
  @Render('webhooks/list')
  list(@CurrentUser() user: SessionUser) {
    return this.view(user, { events: [...WEBHOOK_EVENTS] }, {});
  }

  private async view(user: SessionUser, values: object, errors: object, secret?: object) {
    const posted = (values as { events?: unknown }).events;
    const ticked = new Set(posted === undefined ? [] : postedList(posted));
    return {
      title: 'Webhooks',
      endpoints: await this.endpoints.list(user),
      events: WEBHOOK_EVENTS.map((name) => ({ name, checked: ticked.has(name) })),
      secret,
      values,
      errors,
    };
  }

  listAgain: FormView = (values, errors, req) => this.view(req.user!, values, errors);

  /** The secret is on the answer's page, and never shown again. */
  @Post()
  @FormPage('webhooks/list', 'listAgain')
  async create(
    @CurrentUser() user: SessionUser,
    @FormBody(WebhookForm) form: WebhookForm,
    @Res() res: Response,
  ) {
    const { endpoint, secret } = await this.endpoints.create(user, form.url, form.events);
    res
      .status(201)
      .render(
        'webhooks/list',
        await this.view(user, { events: [...WEBHOOK_EVENTS] }, {}, { url: endpoint.url, secret }),
      );
  }

  @Get(':id')
  @Render('webhooks/deliveries')
  async deliveries(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query('page') pageParam?: unknown,
  ) {
    const endpoint = await this.endpoints.find(user, id);
    const page = requestedPage(pageParam);
    const { data, total } = await this.endpoints.deliveriesOf(user, id, {
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
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.endpoints.sendTest(user, id);
    flash(req, 'success', 'A test delivery (webhook.test) is on its way: its outcome shows below.');
    return res.redirect(303, `/organiser/webhooks/${id}`);
  }

  @Post(':id/rotate-secret')
  async rotate(@CurrentUser() user: SessionUser, @IdParam() id: number, @Res() res: Response) {
    const endpoint = await this.endpoints.find(user, id);
    const secret = await this.endpoints.rotateSecret(user, id);
    res
      .status(200)
      .render(
        'webhooks/list',
        await this.view(user, { events: [...WEBHOOK_EVENTS] }, {}, { url: endpoint.url, secret }),
      );
  }

  @Post(':id/delete')
  async remove(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.endpoints.remove(user, id);
    flash(req, 'success', 'The endpoint was removed: it hears nothing more.');
    return res.redirect(303, '/organiser/webhooks');
  }
}
