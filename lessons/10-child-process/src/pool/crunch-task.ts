/**
 * Lesson 09's crunch as a child-process task (default export = the task); adds the pid that
 * computed it. Imports `lesson-09/crunch` alone: the package index would load Express and
 * SQLite into every child.
 */
import { crunch, type CrunchInput, type CrunchResult } from 'lesson-09/crunch';

export default function crunchTask(input: CrunchInput): CrunchResult & { pid: number } {
  return { ...crunch(input), pid: process.pid };
}
