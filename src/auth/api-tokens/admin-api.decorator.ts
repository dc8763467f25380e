import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { BearerAuthGuard } from './bearer-auth.guard';

/** A controller under `/api/v1/<path>`, for administrators with a bearer token. */
export const AdminApiController = (path: string) =>
  applyDecorators(Controller(`api/v1/${path}`), UseGuards(BearerAuthGuard));
