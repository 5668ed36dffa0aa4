/**
 * The single Express error handler: every failure leaves as the course's JSON error shape,
 * with the right status and never a stack trace.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError, badRequest, errorBody, notFound, payloadTooLarge } from './errors.ts';
import { getRequestId } from './request-id.ts';

/** Something that wants to hear about unexpected (500) errors. */
export type ErrorLogger = (error: unknown, context: { method: string; url: string; requestId?: string }) => void;

const defaultLogger: ErrorLogger = (error, context) => {
  console.error(`[${context.requestId ?? '-'}] ${context.method} ${context.url} failed:`, error);
};

/** Maps body-parser's errors (they carry `type` and `status`) to ApiErrors. */
function fromBodyParser(error: { type?: string; status?: number; limit?: number }): ApiError | undefined {
  switch (error.type) {
    case 'entity.parse.failed': return badRequest('Malformed JSON in request body');
    case 'encoding.invalid': return badRequest('Request body is not valid UTF-8');
    case 'entity.too.large': return payloadTooLarge(`${error.limit ?? 'the limit'} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported': return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding');
    case 'request.aborted': return badRequest('Request aborted by the client');
    default: return undefined;
  }
}

/**
 * Other client errors raised below the app, which carry a 4xx `status` but no body-parser
 * `type`: a path with broken percent-encoding (the router's URIError), a body whose
 * Content-Encoding does not decode (zlib). Their own messages are not for clients.
 */
function fromClientStatus(error: { status?: unknown }): ApiError | undefined {
  const status = error.status;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (error instanceof URIError) return badRequest('Malformed percent-encoding in the URL');
  if (status === 400) return badRequest('Request body could not be decoded');
  return undefined;
}

/** Final middleware for unmatched routes: a JSON 404. */
export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(notFound(`Route ${req.method} ${req.path}`));
}

/**
 * Error handler: ApiError → its status; body-parser errors → 400/413/415;
 * anything else → 500 with a generic message (details go to the log, not the client).
 */
export function errorHandler(log: ErrorLogger = defaultLogger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for a JSON body: let Express close the connection.
      next(error);
      return;
    }
    const requestId = getRequestId(res);
    let apiError = error instanceof ApiError ? error : fromBodyParser(error as object) ?? fromClientStatus(error as object);
    if (!apiError) {
      log(error, { method: req.method, url: req.originalUrl, requestId });
      apiError = new ApiError(500, 'INTERNAL', 'Internal server error');
    }
    res.status(apiError.status).json(errorBody(apiError, requestId));
  };
}
