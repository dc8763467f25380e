import { Body, Injectable, PipeTransform, Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { validatorOptions } from './validation-options';

/** What the user typed, as posted: re-rendered into the form when it is refused. */
export type FormValues = Record<string, unknown>;
/** Messages keyed by dotted field path, e.g. `ticketTypes.0.capacity`. */
export type FieldErrors = Record<string, string>;

export type Form<T> =
  | { valid: true; value: T; values: FormValues; errors: FieldErrors }
  | { valid: false; values: FormValues; errors: FieldErrors };

/**
 * Validates an HTML form body against a class-validator DTO without throwing:
 * the controller gets either the typed value or the messages per field, and
 * re-renders the form itself (422, values kept).
 */
@Injectable()
export class FormPipe<T extends object> implements PipeTransform<unknown, Promise<Form<T>>> {
  constructor(private readonly dto: Type<T>) {}

  async transform(body: unknown): Promise<Form<T>> {
    const values: FormValues =
      body !== null && typeof body === 'object' ? (body as FormValues) : {};
    const value = plainToInstance(this.dto, values);
    const errors = flattenErrors(await validate(value, validatorOptions));
    if (Object.keys(errors).length > 0) return { valid: false, values, errors };
    return { valid: true, value, values, errors };
  }
}

/** `@FormBody(EventForm) form: Form<EventForm>` */
export const FormBody = <T extends object>(dto: Type<T>) => Body(new FormPipe(dto));

export function flattenErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = prefix + error.property;
    const first = Object.values(error.constraints ?? {})[0];
    if (first) result[path] = first;
    Object.assign(result, flattenErrors(error.children ?? [], `${path}.`));
  }
  return result;
}
