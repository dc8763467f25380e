import express, { RequestHandler } from 'express';

/** A JSON body spelling text that is not well-formed Unicode (its message is ours, and safe to show). */
export class NotUnicodeJsonError extends SyntaxError {
  constructor() {
    super('The JSON body contains text that is not valid Unicode');
  }
}

/**
 * Why a body could not be read as JSON, as a client may be told it: ours when the text is not
 * Unicode; otherwise just that it is not JSON (the parser's own words can be its internals,
 * such as "Maximum call stack size exceeded" for a deeply nested body).
 */
export function jsonParseFailure(error: unknown): string | undefined {
  if ((error as { type?: unknown } | null)?.type !== 'entity.parse.failed') return undefined;
  return error instanceof NotUnicodeJsonError ? error.message : 'The body is not valid JSON.';
}

/**
 * Parses JSON bodies, refusing (400) any string that is not well-formed Unicode: JSON
 * may spell a lone surrogate ("\ud800"), which no database column should hold and on
 * which validators throw (class-validator's IsEmail: "URI malformed").
 */
export function jsonBodyParser(limit: string): RequestHandler {
  return express.json({
    limit,
    reviver: (key, value: unknown) => {
      if (!key.isWellFormed() || (typeof value === 'string' && !value.isWellFormed())) {
        throw new NotUnicodeJsonError();
      }
      return value;
    },
  });
}
