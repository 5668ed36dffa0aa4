/**
 * What other lessons import from lesson 01 (lesson 05 benchmarks, lesson 06 profiles these).
 */
export { createBareHandler, type BareHandlerOptions } from './bare-handler.ts';
export { createExpressApp, createLeanExpressApp, createCourseApp } from './express-app.ts';
export { indexPayload, indexBody, indexJson, jsonContentType } from './payload.ts';
export { entries } from './entries.ts';
