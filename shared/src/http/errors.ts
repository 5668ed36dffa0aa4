/**
 * The one error shape of the course's APIs, and small factories for each status.
 *
 * Every error response is `{ "error": { "code", "message", "details"?, "requestId"? } }`.
 * Throw one of these anywhere; the error handler turns it into that JSON with its status.
 */

/** One problem with one field of a request. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `priceCents` or `tags.2`; `(body)` for the whole body. */
  field: string;
  message: string;
}

/** Stable, machine-readable error codes. */
export type ErrorCode =
  | 'BAD_REQUEST' | 'VALIDATION' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE' | 'TIMEOUT' | 'UNAVAILABLE' | 'INTERNAL'
  /** 431 and 417: answered below the app, for requests Node's parser refuses (lifecycle/client-errors.ts). */
  | 'HEADERS_TOO_LARGE' | 'EXPECTATION_FAILED';

/** An error that knows its HTTP status and its public message. */
export class ApiError extends Error {
  override name = 'ApiError';
  // Plain fields, not constructor parameter properties: Node's own type stripping (22.18+)
  // refuses those, and lesson 11 runs its workers without a TypeScript loader where it can.
  readonly status: number;
  readonly code: ErrorCode;
  readonly details?: FieldIssue[];
  constructor(status: number, code: ErrorCode, message: string, details?: FieldIssue[]) {
    super(message);
    this.status = status;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** 400: the body is not parseable (malformed JSON). */
export const badRequest = (message: string): ApiError => new ApiError(400, 'BAD_REQUEST', message);

/** 400: parseable, but a field is wrong; the message names the first field. */
export const validationError = (details: FieldIssue[]): ApiError =>
  new ApiError(400, 'VALIDATION', `Invalid ${details.map((d) => d.field).join(', ')}: ${details[0]?.message ?? 'invalid'}`, details);

/** 404 for an unknown resource id. */
/** 403: the caller may not do this (e.g. reset metrics from another host or without the token). */
export const forbidden = (message: string): ApiError => new ApiError(403, 'FORBIDDEN', message);

export const notFound = (what: string): ApiError => new ApiError(404, 'NOT_FOUND', `${what} not found`);

/** 409 for a duplicate unique value; names the field. */
export const conflict = (field: string, message: string): ApiError =>
  new ApiError(409, 'CONFLICT', message, [{ field, message }]);

/** 413 for a body over the limit. */
export const payloadTooLarge = (limit: string): ApiError =>
  new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request body is larger than ${limit}`);

/** 415 for a write whose body is not JSON. */
export const unsupportedMediaType = (got: string | undefined): ApiError =>
  new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Expected Content-Type application/json, got ${got ? `"${got}"` : 'none'}`);

/** 503: the server is overloaded or shutting down; the client may retry. */
export const unavailable = (message: string): ApiError => new ApiError(503, 'UNAVAILABLE', message);

/** 504-style timeout of a task the server gave up on. */
export const timeout = (message: string): ApiError => new ApiError(504, 'TIMEOUT', message);

/** The JSON body for an error response. */
export function errorBody(error: ApiError, requestId?: string): { error: Record<string, unknown> } {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      ...(requestId ? { requestId } : {}),
    },
  };
}
