/**
 * A request id on every request and response, so a log line, an error body and a client
 * report can be tied together. A well-formed incoming `X-Request-Id` is kept (a proxy set it).
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id of a request, as set by {@link requestId}. */
export function getRequestId(res: { locals: Record<string, unknown> }): string | undefined {
  return res.locals.requestId as string | undefined;
}

/** Middleware: sets `res.locals.requestId` and the `X-Request-Id` response header. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && acceptable.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
