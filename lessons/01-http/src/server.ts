/**
 * Entry point: GET /index on Express (`express()` + `res.json()`). Listens on PORT (default 3000) at HOST (default 127.0.0.1).
 */
import { loadConfig, serve } from '@course/shared';
import { createExpressApp } from './express-app.ts';

const config = loadConfig();
await serve(createExpressApp(), {
  name: 'lesson-01 (express)',
  config,
});
