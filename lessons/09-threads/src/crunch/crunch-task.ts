/**
 * The crunch as a worker task: the module piscina, the hand-written pool and the
 * worker-per-request variant all load in their threads (default export = the task).
 */
import { threadId } from 'node:worker_threads';
import { crunch, type CrunchInput, type CrunchResult } from './crunch.ts';

export default function crunchTask(input: CrunchInput): CrunchResult {
  return crunch(input, threadId);
}
