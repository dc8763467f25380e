import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../../common/http/api-responses';
import { RateLimit } from '../../rate-limits/rate-limit.decorator';
import { BearerAuthGuard } from './bearer-auth.guard';

/** A controller under `/api/v1/<path>`, for administrators with a bearer token. */
export const AdminApiController = (path: string, tag = path) =>
  applyDecorators(
    Controller(`api/v1/${path}`),
    UseGuards(BearerAuthGuard),
    // Per token, once verified: a made-up token is a 401 anyway (256 random bits are not guessed).
    RateLimit('api'),
    ApiTags(tag),
    ApiBearerAuth(),
    ApiProblem(400, 'Invalid input: `errors` names each field with a dotted path'),
    ApiProblem(401, 'No token, or an unknown or revoked one'),
    ApiProblem(403, "The token's owner is not an administrator"),
    ApiProblem(404, 'No such resource'),
    ApiProblem(413, 'Body larger than 100 kB'),
    ApiProblem(429, 'Too many requests with this token in the last minute (see Retry-After)'),
  );
