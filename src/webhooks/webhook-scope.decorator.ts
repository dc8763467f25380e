import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionUser } from '../auth/session-user';
import type { WebhookScope } from './webhook-endpoints.service';

/** The endpoints of the organisation the user works in (the page; MemberAccess('own') lets only owners in). */
export const organisationScope = (user: SessionUser): WebhookScope => ({
  organisationId: user.organisation!.id,
  by: user,
});

export const OrganisationWebhooks = createParamDecorator((_: unknown, context: ExecutionContext) =>
  organisationScope(context.switchToHttp().getRequest<Request>().user!),
);

/** The site's endpoints, told of every event (the admin API). */
export const SiteWebhooks = createParamDecorator(
  (_: unknown, context: ExecutionContext): WebhookScope => ({
    organisationId: null,
    by: context.switchToHttp().getRequest<Request>().user!,
  }),
);
