import express, { RequestHandler } from 'express';
import qs from 'qs';

/**
 * Parses HTML form posts. Express's own extended parser turns numeric keys such
 * as `quantities[12]` into (compacted) arrays and loses the ids, so forms are
 * parsed with arrays off: `quantities[12]=2` becomes `{ quantities: { '12': '2' } }`.
 */
export function formBodyParser(limit: string): RequestHandler[] {
  return [
    express.text({ type: 'application/x-www-form-urlencoded', limit }),
    (req, _res, next) => {
      if (typeof req.body === 'string') {
        req.body = qs.parse(req.body, { parseArrays: false, depth: 3, parameterLimit: 1000 });
      }
      next();
    },
  ];
}
