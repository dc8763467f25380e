import { ValidatorOptions } from 'class-validator';

/** Shared by the global ValidationPipe and FormPipe, so pages and API validate alike. */
export const validatorOptions: ValidatorOptions = {
  whitelist: true,
  forbidUnknownValues: true,
  validationError: { target: false },
};
