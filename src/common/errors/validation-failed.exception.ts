import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { flattenErrors } from '../forms/form.pipe';
import type { FieldError } from './error-responder';

/** Most bad fields one answer names: a large body wrong throughout (a seat map) stays a short answer. */
const MAX_ERRORS = 100;

/**
 * A JSON body or query that failed its DTO: 400 with one `{field, message}` per bad field (dotted
 * paths), the first MAX_ERRORS of them.
 */
export class ValidationFailedException extends BadRequestException {
  readonly errors: FieldError[];

  constructor(validationErrors: ValidationError[]) {
    const errors = Object.entries(flattenErrors(validationErrors))
      .slice(0, MAX_ERRORS)
      .map(([field, message]) => ({ field, message }));
    super(errors.map((error) => `${error.field}: ${error.message}`).join('; '));
    this.errors = errors;
  }
}
