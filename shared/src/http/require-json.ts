/**
 * 415 for a write whose body is not JSON. express.json() silently skips bodies of other
 * types (leaving req.body undefined), which would surface as a confusing validation error.
 */
import type { RequestHandler } from 'express';
import { unsupportedMediaType } from './errors.ts';

const writes = new Set(['POST', 'PUT', 'PATCH']);

/** Middleware: rejects POST/PUT/PATCH carrying a non-JSON body with 415. */
export function requireJson(): RequestHandler {
  return (req, _res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (writes.has(req.method) && hasBody && !req.is('application/json')) {
      next(unsupportedMediaType(req.headers['content-type']));
      return;
    }
    next();
  };
}
