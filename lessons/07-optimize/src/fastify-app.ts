/**
 * The course's items API on fastify 5: what a reader would pick instead of Express, built the
 * fastify way, so the bench compares the frameworks rather than two styles.
 *
 * Same store (the shared repository behind lesson 03's cache), same routes, same error shape
 * `{ "error": { "code", "message", "details"? , "requestId"? } }` with 400/404/413/415, same
 * request ids and body limit. Bodies, params and responses are described by JSON Schema:
 * fastify compiles validators (ajv) and serializers (fast-json-stringify) from them at start-up.
 *
 * Where it differs from the Express service, on purpose or by default (the README says so):
 * no ETag/304 (fastify sends none unless @fastify/etag is added, which hashes every body as
 * Express does); JSON Schema does not trim strings (a name of spaces fails the `\S` pattern,
 * but " lamp " is stored with its spaces, where zod stores "lamp"); messages are ajv's.
 * The list's query string goes through the shared zod schema, so paging keeps its bounds.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  ApiError, errorBody, listQuerySchema, notFound, parseOr400, requestIdFor,
  type FieldIssue, type ItemsStore, type Metrics,
} from '@course/shared';

/** Dependencies of {@link createFastifyApi}. */
export interface FastifyApiOptions {
  store: ItemsStore;
  metrics?: Metrics;
  /** Largest JSON body in bytes (413 above it). Default 100 KiB, as the Express service's `100kb`. */
  bodyLimit?: number;
}

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' }) as const;

const itemSchema = {
  type: 'object',
  required: ['id', 'sku', 'name', 'category', 'priceCents', 'tags', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'integer' },
    sku: { type: 'string' },
    name: { type: 'string' },
    category: { type: 'string' },
    priceCents: { type: 'integer' },
    tags: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const itemFields = {
  sku: text(64),
  name: text(200),
  category: text(50),
  priceCents: { type: 'integer', minimum: 0, maximum: 100_000_000 },
  tags: { type: 'array', maxItems: 20, items: text(30) },
} as const;

const newItemBody = { type: 'object', additionalProperties: false, required: ['sku', 'name', 'category', 'priceCents'], properties: itemFields } as const;
const patchBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: itemFields } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } } } as const;

/** ajv's errors as the API's field issues (`priceCents`, `tags.2`, `(body)`, `id`). */
function fieldIssues(error: FastifyError): FieldIssue[] {
  return (error.validation ?? []).map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const params = issue.params as { additionalProperty?: string; missingProperty?: string };
    if (params.additionalProperty) return { field: path ? `${path}.${params.additionalProperty}` : params.additionalProperty, message: 'unknown field' };
    if (params.missingProperty) return { field: params.missingProperty, message: 'is required' };
    return { field: path || (error.validationContext === 'params' ? 'id' : '(body)'), message: issue.message ?? 'invalid' };
  });
}

/** Any error a route or fastify raised, as the API's ApiError. */
function toApiError(error: FastifyError): ApiError {
  if (error instanceof ApiError) return error;
  if (error.validation) {
    const details = fieldIssues(error);
    return new ApiError(400, 'VALIDATION', `Invalid ${details.map((d) => d.field).join(', ')}: ${details[0]?.message ?? 'invalid'}`, details);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Expected Content-Type application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Request body is larger than the limit');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return new ApiError(400, 'BAD_REQUEST', 'Empty JSON body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return new ApiError(400, 'BAD_REQUEST', 'Malformed JSON in request body');
    default: break;
  }
  // fastify's JSON parser rejects malformed JSON with the parser's SyntaxError, status 400.
  if (error instanceof SyntaxError && error.statusCode === 400) return new ApiError(400, 'BAD_REQUEST', 'Malformed JSON in request body');
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) return new ApiError(400, 'BAD_REQUEST', 'Bad request');
  return new ApiError(500, 'INTERNAL', 'Internal server error');
}

/** Builds the items API on fastify. Call `ready()` before serving `app.routing`. */
export function createFastifyApi(options: FastifyApiOptions): FastifyInstance {
  const { store, metrics } = options;
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 100 * 1024,
    // The course's request id: a well-formed incoming X-Request-Id is kept, else a UUID.
    requestIdHeader: false,
    genReqId: (req) => requestIdFor(req.headers['x-request-id']),
    // Reject unknown fields and wrong types (the course's policy): fastify's defaults would
    // drop unknown fields silently and coerce "12" to 12.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });
  // fastify parses text/plain bodies too; the API takes JSON only, so anything else is a 415.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  if (metrics) {
    app.addHook('onResponse', (request, reply, done) => {
      if (request.url !== '/metrics') metrics.recordRequest(reply.statusCode, reply.elapsedTime * 1e6);
      done();
    });
    app.get('/metrics', async () => metrics.snapshot());
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error);
    // fastify's own logger is off (its default): log a 500 as the Express service does.
    if (apiError.status === 500) console.error(`[${request.id}] ${request.method} ${request.url} failed:`, error);
    void reply.status(apiError.status).send(errorBody(apiError, request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorBody(notFound(`Route ${request.method} ${request.url.split('?', 1)[0]}`), request.id));
  });

  app.get('/health', async () => ({ status: 'ok', pid: process.pid }));

  app.get('/items', { schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: itemSchema } } } } } }, async (request) => {
    return { items: await store.list(parseOr400(listQuerySchema, request.query, 'query')) };
  });

  app.get('/items/stats', async () => ({ categories: await store.categoryStats() }));

  app.get<{ Params: { id: string } }>('/items/:id', { schema: { params: idParams, response: { 200: itemSchema } } }, async (request) => {
    const item = await store.get(Number(request.params.id));
    if (!item) throw notFound('Item');
    return item;
  });

  app.post('/items', { schema: { body: newItemBody, response: { 201: itemSchema } } }, async (request, reply) => {
    const item = await store.create(request.body as Parameters<ItemsStore['create']>[0]);
    return reply.status(201).header('location', `/items/${item.id}`).send(item);
  });

  app.patch<{ Params: { id: string } }>('/items/:id', { schema: { params: idParams, body: patchBody, response: { 200: itemSchema } } }, async (request) => {
    const item = await store.update(Number(request.params.id), request.body as Parameters<ItemsStore['update']>[1]);
    if (!item) throw notFound('Item');
    return item;
  });

  app.delete<{ Params: { id: string } }>('/items/:id', { schema: { params: idParams } }, async (request, reply) => {
    if (!(await store.delete(Number(request.params.id)))) throw notFound('Item');
    return reply.status(204).send();
  });

  return app;
}
