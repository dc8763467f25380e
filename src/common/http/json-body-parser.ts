import express, { RequestHandler } from 'express';

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
        throw new SyntaxError('The JSON body contains text that is not valid Unicode');
      }
      return value;
    },
  });
}
