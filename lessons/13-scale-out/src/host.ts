/**
 * One "host": lesson 11's primary and its workers on one loopback address (127.0.0.2, …),
 * standing in for one machine behind the load balancer.
 *
 * On SIGTERM it first fails its health check (lame duck) for DRAIN_DELAY_MS, so the balancer
 * stops sending it requests, then drains its workers and exits.
 */
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { loadConfig, notifyReady } from '@course/shared';
import { createPrimary } from 'lesson-11';
import { loadHostConfig } from './host-config.ts';
import type { HostMessage } from './host-messages.ts';

const config = loadConfig();
const hostConfig = loadHostConfig();
const name = `${config.host}:${config.port}`;

const primary = createPrimary({
  exec: fileURLToPath(new URL('./worker.ts', import.meta.url)),
  workers: hostConfig.workers,
  // Invalidations travel through Redis, between every worker of every host.
  invalidation: 'none',
  shutdownTimeoutMs: config.shutdownTimeoutMs,
});
const url = await primary.ready;
console.log(`lesson-13 host ${name} (primary ${process.pid}): ${hostConfig.workers} worker(s), cache ${hostConfig.cache}, pool ${hostConfig.poolMax} each`);
notifyReady(url, config.port);

function tellWorkers(message: HostMessage): void {
  for (const worker of Object.values(cluster.workers ?? {})) {
    if (worker?.isConnected()) worker.send(message, undefined, undefined, () => {});
  }
}

let stopping: Promise<void> | undefined;
function stop(reason: string): Promise<void> {
  stopping ??= (async () => {
    console.log(`host ${name}: ${reason}: /health is 503 for ${hostConfig.drainDelayMs} ms, then draining`);
    tellWorkers({ type: 'lame-duck' });
    // LESSON: keep serving while the balancer notices (fall × inter); requests that arrive
    // meanwhile are answered, not refused.
    await new Promise((resolve) => setTimeout(resolve, hostConfig.drainDelayMs));
    await primary.stop();
    process.exit(0);
  })();
  return stopping;
}

process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
// Started by the stack over IPC: if the stack dies, do not outlive it.
if (process.send) process.once('disconnect', () => void stop('parent gone'));
