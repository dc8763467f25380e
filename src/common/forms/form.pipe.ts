import {
  createParamDecorator,
  ExecutionContext,
  Injectable,
  PipeTransform,
  Type,
} from '@nestjs/common';
import type { Request } from 'express';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { InvalidFormError } from './invalid-field.error';
import { validatorOptions } from './validation-options';

/** What the user typed, as posted: re-rendered into the form when it is refused. */
export type FormValues = Record<string, unknown>;
/** Messages keyed by dotted field path, e.g. `ticketTypes.0.capacity`. */
export type FieldErrors = Record<string, string>;

/**
 * Validates an HTML form body against a class-validator DTO: the controller gets the typed
 * value, or the route's FormPage renders the form again with a message per field.
 */
@Injectable()
export class FormPipe<T extends object> implements PipeTransform<unknown, Promise<T>> {
  constructor(private readonly dto: Type<T>) {}

  async transform(body: unknown): Promise<T> {
    const values: FormValues =
      body !== null && typeof body === 'object' ? (body as FormValues) : {};
    const value = plainToInstance(this.dto, values);
    const errors = flattenErrors(await validate(value, validatorOptions));
    if (Object.keys(errors).length > 0) throw new InvalidFormError(errors);
    return value;
  }
}

/**
 * The request body as posted, for FormPipe. A decorator of its own rather than @Body(): the
 * API's global ValidationPipe leaves custom decorators alone, so a form's own fields (`_csrf`)
 * are not refused as unknown before FormPipe has seen them.
 */
const PostedBody = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<Request>().body,
);

/** `@FormBody(EventForm) form: EventForm` */
export const FormBody = <T extends object>(dto: Type<T>) =>
  PostedBody(undefined, new FormPipe(dto));

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
