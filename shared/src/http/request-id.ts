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

/**
 * The id for a request whose `X-Request-Id` header is `incoming`: kept when well-formed, else
 * a new UUID. Shared by the middleware and the hot path (hot-item-reads.ts).
 */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && acceptable.test(incoming) ? incoming : randomUUID();
}

/** Middleware: sets `res.locals.requestId` and the `X-Request-Id` response header. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const id = requestIdFor(req.headers['x-request-id']);
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
