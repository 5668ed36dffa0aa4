/**
 * Entry point: GET /index on bare node:http, JSON string serialized once (no Buffer). Listens on PORT (default 3000) at HOST (default 127.0.0.1).
 */
import { loadConfig, serve } from '@course/shared';
import { createBareHandler } from './bare-handler.ts';

const config = loadConfig();
await serve(createBareHandler({ body: 'string' }), {
  name: 'lesson-01 (node:http, string)',
  config,
});
