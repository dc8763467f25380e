import { HttpException, HttpStatus } from '@nestjs/common';

/** 429, with the seconds to wait (sent as Retry-After) and a message that says so. */
export class TooManyRequestsException extends HttpException {
  readonly retryAfterSeconds: number;

  constructor(what: string, retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(`${what} Please try again in ${describeWait(seconds)}.`, HttpStatus.TOO_MANY_REQUESTS);
    this.retryAfterSeconds = seconds;
  }
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
