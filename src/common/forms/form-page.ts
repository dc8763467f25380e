import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, Observable } from 'rxjs';
import type { FieldErrors, FormValues } from './form.pipe';
import { InvalidFormError } from './invalid-field.error';

/** Builds the page of a refused form: the user's values and the message at each field. */
export type FormView = (
  values: FormValues,
  errors: FieldErrors,
  req: Request,
) => object | Promise<object>;

interface FormPageOptions {
  template: string;
  view: string;
}

const FORM_PAGE = Symbol('form page');

/**
 * The route posts the form of `template`: when its input is refused (by the form's DTO, or
 * a service's InvalidFieldError), the page is rendered again with the status of the refusal
 * (422; 409 for a conflict such as a taken email), the values kept and a message at each
 * field, by the controller's method `view` (a FormView). The route itself holds no try/catch.
 */
export const FormPage = (template: string, view: string) =>
  SetMetadata(FORM_PAGE, { template, view } satisfies FormPageOptions);

/** What the user typed, without what a page must never echo back (a password, current or new). */
function valuesToShow(body: unknown): FormValues {
  if (body === null || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body as FormValues).filter(([name]) => !/password/i.test(name)),
  );
}

@Injectable()
export class FormPageInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly modules: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const page = this.reflector.get<FormPageOptions | undefined>(FORM_PAGE, context.getHandler());
    if (!page) return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof InvalidFormError)) throw error;
        return from(this.renderAgain(context, page, error));
      }),
    );
  }

  private async renderAgain(
    context: ExecutionContext,
    page: FormPageOptions,
    error: InvalidFormError,
  ): Promise<void> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const controller: Record<string, FormView> = this.modules.get(context.getClass(), {
      strict: false,
    });
    const view = await controller[page.view].call(
      controller,
      valuesToShow(req.body),
      error.errors,
      req,
    );
    res.status(error.getStatus()).render(page.template, view);
  }
}
