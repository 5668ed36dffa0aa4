/**
 * Entry point: GET /index inside the course's createApp (request id, metrics, body parser). Listens on PORT (default 3000) at HOST (default 127.0.0.1).
 */
import { loadConfig, serve } from '@course/shared';
import { createCourseApp } from './express-app.ts';

const config = loadConfig();
await serve(createCourseApp(), {
  name: 'lesson-01 (express-course)',
  config,
});
