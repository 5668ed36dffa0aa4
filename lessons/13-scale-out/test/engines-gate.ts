/**
 * Whether this machine can run the engine tests: without PostgreSQL, Redis and HAProxy they
 * skip with one clear reason, except in CI (CI=true), where a missing engine is a failure.
 */
import { findEngineBinaries, MissingEnginesError } from '../src/engines/binaries.ts';

const { missing } = findEngineBinaries();
let warned = false;

/** True when the engine tests must be skipped (and says why, once). */
export function skipWithoutEngines(): boolean {
  if (missing.length === 0) return false;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and an engine is missing, so lesson 13's tests fail instead of skipping.\n${new MissingEnginesError(missing).message}`);
  }
  if (!warned) console.warn(`lesson-13: skipping the engine tests. ${new MissingEnginesError(missing).message}`);
  warned = true;
  return true;
}
