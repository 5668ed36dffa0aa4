/**
 * What the profiling scripts can profile, and the load each one gets.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import type { Request } from 'autocannon';
import { entries } from 'lesson-01';
import { maxUsernameLength } from '../hot-paths.ts';

/** A server to profile and the requests to send it. */
export interface ProfileTarget {
  name: string;
  description: string;
  entry: string;
  env: Record<string, string>;
  /** autocannon cycles through these on every connection. */
  requests: Request[];
  /** Folders whose sources the profile should point into (source maps, isolate-log markers). */
  sourceRoots: string[];
}

const lessonSrc = fileURLToPath(new URL('../', import.meta.url));
const lesson01Src = join(entries.express, '..');
const sharedSrc = join(repoRoot, 'shared', 'src');

/** A username at the length cap that fails at its last character: the regex's worst case. */
export const nearMissUsername = `${'a'.repeat(maxUsernameLength - 1)}!`;

function hotPathRequests(prefix: '/slow' | '/fixed'): Request[] {
  return [
    { method: 'POST', path: `${prefix}/keys`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'correct horse battery staple', salt: 'salt-1234' }) },
    { method: 'GET', path: `${prefix}/usernames/check?username=${encodeURIComponent(nearMissUsername)}` },
    { method: 'GET', path: `${prefix}/catalog?category=books` },
    { method: 'GET', path: `${prefix}/price-ranks` },
  ];
}

const lessonServer = fileURLToPath(new URL('../server.ts', import.meta.url));
const lessonEnv = { DB_PATH: join(repoRoot, 'data', 'lesson-06.db') };

export const targets: Record<string, ProfileTarget> = {
  slow: {
    name: 'slow',
    description: "this lesson's /slow endpoints, the four requests in turn",
    entry: lessonServer,
    env: lessonEnv,
    requests: hotPathRequests('/slow'),
    sourceRoots: [lessonSrc, sharedSrc],
  },
  fixed: {
    name: 'fixed',
    description: 'the same four requests on /fixed',
    entry: lessonServer,
    env: lessonEnv,
    requests: hotPathRequests('/fixed'),
    sourceRoots: [lessonSrc, sharedSrc],
  },
  express: {
    name: 'express',
    description: "lesson 01's Express app, GET /index",
    entry: entries.express,
    env: {},
    requests: [{ method: 'GET', path: '/index' }],
    sourceRoots: [lesson01Src, sharedSrc],
  },
  http: {
    name: 'http',
    description: "lesson 01's bare node:http handler, GET /index",
    entry: entries.http,
    env: {},
    requests: [{ method: 'GET', path: '/index' }],
    sourceRoots: [lesson01Src, sharedSrc],
  },
};
