import { HttpException, HttpStatus } from '@nestjs/common';

/** A page that is not for this visitor yet, and where they should go instead: a 303 there. */
export class SeeOtherException extends HttpException {
  constructor(
    readonly location: string,
    message: string,
  ) {
    super(message, HttpStatus.SEE_OTHER);
  }
}
