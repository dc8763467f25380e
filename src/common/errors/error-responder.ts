import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable, isUnstorableText } from '../../database/database-errors';
import { isRedisUnavailable } from '../../redis/redis-connection';
import { InvalidFormError } from '../forms/invalid-field.error';
import { ProviderFailedException } from './provider-failed.exception';
import { jsonParseFailure } from '../http/json-body-parser';
import { loggable } from '../loggable';
import { LoginRequiredException } from './login-required.exception';
import { SeeOtherException } from './see-other.exception';
import { TooManyRequestsException } from './too-many-requests.exception';
import { ValidationFailedException } from './validation-failed.exception';

export interface FieldError {
  field: string;
  message: string;
}

interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: FieldError[];
}

const logger = new Logger('Errors');
/** How long a client should wait when the database or Redis is unreachable. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Turns any error into the response its audience expects: problem+json under
 * `/api`, an HTML error page elsewhere. A 5xx never shows its details to the
 * client; they go to the log with the request id the page shows.
 */
export function sendError(error: unknown, req: Request, res: Response): void {
  if (res.headersSent) {
    // E.g. the session could not be saved after an answer went out: nothing more to send.
    logger.warn(`[${req.id}] error after response started: ${String(error)}`);
    return;
  }
  const isApi = req.path.startsWith('/api/');
  if (error instanceof LoginRequiredException && !isApi) {
    const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
    res.redirect(303, `/login${next}`);
    return;
  }
  if (error instanceof SeeOtherException && !isApi) {
    res.redirect(303, error.location);
    return;
  }
  const problem = toProblem(error, isApi);
  if (error instanceof TooManyRequestsException) {
    res.setHeader('Retry-After', String(error.retryAfterSeconds));
  }
  if (problem.status === 503) {
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    // An outage fails every request alike: one line each, not a stack trace each.
    logger.warn(`[${req.id}] ${req.method} ${loggable(req.path)}: unavailable: ${String(error)}`);
  } else if (problem.status >= 500) {
    logger.error(
      // The path without its query: a booking link's query holds its secret.
      `[${req.id}] ${req.method} ${loggable(req.path)}: ${(error as Error)?.stack ?? String(error)}`,
    );
  }
  if (isApi) {
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({ type: 'about:blank', ...problem });
    return;
  }
  res
    .status(problem.status)
    .render('errors/error', { ...problem, requestId: req.id }, (renderError, html) => {
      if (renderError) {
        logger.error(`[${req.id}] error page failed to render: ${renderError.stack}`);
        res.type('text/plain').send(`${problem.status} ${problem.title}`);
        return;
      }
      res.send(html);
    });
}

function toProblem(error: unknown, isApi: boolean): Problem {
  if (error instanceof ValidationFailedException) {
    return {
      status: 400,
      title: 'Bad Request',
      detail: 'The request has invalid fields.',
      errors: error.errors,
    };
  }
  // Refused fields: a form again on pages (FormPage), a 400 naming each field on the API.
  if (error instanceof InvalidFormError && isApi) {
    const status = error.apiStatus ?? (error.getStatus() === 422 ? 400 : error.getStatus());
    return {
      status,
      title: STATUS_CODES[status] ?? 'Error',
      detail: error.message,
      errors: Object.entries(error.apiErrors).map(([field, message]) => ({ field, message })),
    };
  }
  const status = statusOf(error);
  const title = STATUS_CODES[status] ?? 'Error';
  if (status === 503) {
    return {
      status,
      title,
      detail: `Boxoffice is overloaded or cannot reach its storage right now. Please try again in ${RETRY_AFTER_SECONDS} seconds.`,
    };
  }
  if (error instanceof ProviderFailedException) return { status, title, detail: error.message };
  if (status >= 500) {
    return {
      status,
      title,
      detail: 'Something went wrong on our side. Please try again in a moment.',
    };
  }
  if (isUnstorableText(error)) {
    return { status, title, detail: 'The request contains characters that cannot be stored.' };
  }
  return { status, title, detail: detailOf(error, title) };
}

function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  if (isDatabaseUnavailable(error) || isRedisUnavailable(error)) {
    return HttpStatus.SERVICE_UNAVAILABLE;
  }
  if (isUnstorableText(error)) return HttpStatus.BAD_REQUEST;
  // Errors from Express middleware (the body parsers) carry their status.
  const status = (error as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return status;
  return HttpStatus.INTERNAL_SERVER_ERROR;
}

function detailOf(error: unknown, fallback: string): string {
  const notJson = jsonParseFailure(error);
  if (notJson) return notJson;
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.join('; ');
    return fallback;
  }
  const message = (error as { message?: unknown })?.message;
  return typeof message === 'string' && message ? message : fallback;
}
