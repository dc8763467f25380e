import { UnprocessableEntityException } from '@nestjs/common';

/** A business rule refused one field's value (e.g. capacity below tickets already sold). */
export class InvalidFieldError extends UnprocessableEntityException {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
