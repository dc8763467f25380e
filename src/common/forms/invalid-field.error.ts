import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldErrors } from './form.pipe';

/**
 * Input that was refused, with a message per field (a dotted path such as
 * `ticketTypes.0.capacity`): a page re-renders its form with them (FormPage), the API
 * answers 400 naming each field (`apiErrors`, where the API's body names a field otherwise).
 */
export class InvalidFormError extends HttpException {
  /** The API's status, when it is not the usual 400 (a business rule the API reports as 422). */
  apiStatus?: number;

  constructor(
    readonly errors: FieldErrors,
    status: number = HttpStatus.UNPROCESSABLE_ENTITY,
    readonly apiErrors: FieldErrors = errors,
  ) {
    super(Object.values(errors)[0] ?? 'Invalid input.', status);
  }
}

/**
 * A business rule refused one field's value (e.g. capacity below tickets already sold);
 * `apiField` is its path in the API's body when that is not the form's name for it.
 */
export class InvalidFieldError extends InvalidFormError {
  constructor(
    readonly field: string,
    message: string,
    status: number = HttpStatus.UNPROCESSABLE_ENTITY,
    apiField: string = field,
  ) {
    super({ [field]: message }, status, { [apiField]: message });
  }
}
