import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldErrors } from './form.pipe';

/**
 * Input that was refused, with a message per field (a dotted path such as
 * `ticketTypes.0.capacity`): a page re-renders its form with them (FormPage), the API
 * answers 400 naming each field.
 */
export class InvalidFormError extends HttpException {
  constructor(
    readonly errors: FieldErrors,
    status: number = HttpStatus.UNPROCESSABLE_ENTITY,
  ) {
    super(Object.values(errors)[0] ?? 'Invalid input.', status);
  }
}

/** A business rule refused one field's value (e.g. capacity below tickets already sold). */
export class InvalidFieldError extends InvalidFormError {
  constructor(
    readonly field: string,
    message: string,
    status: number = HttpStatus.UNPROCESSABLE_ENTITY,
  ) {
    super({ [field]: message }, status);
  }
}
