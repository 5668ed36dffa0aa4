import { fileURLToPath } from 'node:url';

/** The miniature repository the page tests build from (see fixtures/README.md). */
export const fixtureRoot = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const fixtureResults = fileURLToPath(new URL('./fixtures/bench-results/', import.meta.url));
