import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { flattenErrors } from '../forms/form.pipe';
import type { FieldError } from './error-responder';

/** A JSON body or query that failed its DTO: 400 with one `{field, message}` per bad field (dotted paths). */
export class ValidationFailedException extends BadRequestException {
  readonly errors: FieldError[];

  constructor(validationErrors: ValidationError[]) {
    const errors = Object.entries(flattenErrors(validationErrors)).map(([field, message]) => ({
      field,
      message,
    }));
    super(errors.map((error) => `${error.field}: ${error.message}`).join('; '));
    this.errors = errors;
  }
}
