/**
 * Entry point: GET /index on bare node:http, body encoded once. Listens on PORT (default 3000) at HOST (default 127.0.0.1).
 */
import { loadConfig, serve } from '@course/shared';
import { createBareHandler } from './bare-handler.ts';

const config = loadConfig();
await serve(createBareHandler(), {
  name: 'lesson-01 (node:http)',
  config,
});
