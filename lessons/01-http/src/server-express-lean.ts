/**
 * Entry point: GET /index on Express without ETag, body pre-encoded. Listens on PORT (default 3000) at HOST (default 127.0.0.1).
 */
import { loadConfig, serve } from '@course/shared';
import { createLeanExpressApp } from './express-app.ts';

const config = loadConfig();
await serve(createLeanExpressApp(), {
  name: 'lesson-01 (express-lean)',
  config,
});
