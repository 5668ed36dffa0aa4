/**
 * Process metrics a learner can watch while load runs: is the event loop blocked, how busy
 * is it, how much memory is in use, how many requests and how slow.
 *
 * Served as JSON at `GET /metrics` (see createApp). `POST /metrics/reset` returns the
 * snapshot and starts the histograms afresh, so a bench can read one phase at a time. Reset is
 * a POST because it changes state: a GET must be safe to repeat, prefetch or retry (a crawler,
 * a monitoring poll or a proxy retrying a GET would otherwise wipe someone's measurement).
 */
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { forbidden, validationError } from '../http/errors.ts';
import { resetRefusal } from './reset-guard.ts';
import { createHistogram, monitorEventLoopDelay, performance, type EventLoopUtilization, type RecordableHistogram } from 'node:perf_hooks';

/** Milliseconds, rounded to 0.01. */
const ms = (nanoseconds: number): number => Math.round(nanoseconds / 1e4) / 100;

/** One reading of the metrics. */
export interface MetricsSnapshot {
  uptimeSeconds: number;
  pid: number;
  /** How late the loop turned, beyond the sampling interval (ms). */
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  /** Samples behind `eventLoopDelayMs` in this window (one per turn of the monitor's timer). */
  eventLoopSamples: number;
  /** Fraction of time the loop was busy, since the last reset and since start (0..1). */
  eventLoopUtilization: { sinceReset: number; sinceStart: number };
  memory: NodeJS.MemoryUsage;
  requests: { total: number; byStatus: Record<string, number>; latencyMs: { p50: number; p99: number; max: number } };
  /** Values from lessons' collectors, by the name they registered. */
  custom: Record<string, unknown>;
}

/** The metrics of one process. */
export interface Metrics {
  /** Express middleware counting every request and its latency. */
  middleware: RequestHandler;
  /** Express handler for `GET /metrics`: the snapshot as JSON; takes no parameters. */
  handler: RequestHandler;
  /** Express handler for `POST /metrics/reset`: the snapshot as JSON, then {@link Metrics.reset}. */
  resetHandler: RequestHandler;
  /** Takes a reading now. */
  snapshot(): MetricsSnapshot;
  /** Starts histograms and utilization afresh. */
  reset(): void;
  /** Adds a lesson's own values under `custom[name]` (e.g. cache hits). */
  register(name: string, collect: () => unknown): void;
  /** Records a request outside Express (e.g. a bare node:http server). */
  recordRequest(status: number, durationNs: number): void;
  /** Stops the event-loop monitor. */
  close(): void;
}

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /** Sampling resolution of the event-loop delay monitor, ms (default 10). */
  resolutionMs?: number;
  /**
   * Who may `POST /metrics/reset`. With a token (default: `METRICS_RESET_TOKEN` from the
   * environment), only a request carrying `Authorization: Bearer <token>`; without one, only a
   * client on a loopback address. Resetting changes what every other reader of /metrics sees,
   * so a server bound to a public address must not let anyone who reaches the port do it.
   */
  resetToken?: string;
}

/** Creates and starts the metrics of this process. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  // The monitor runs a libuv timer at this resolution and records how late it fires:
  // that lateness is exactly how long other work kept the loop from turning.
  const resolutionMs = options.resolutionMs ?? 10;
  const resetToken = options.resetToken ?? (process.env.METRICS_RESET_TOKEN || undefined);
  const loopDelay = monitorEventLoopDelay({ resolution: resolutionMs });
  loopDelay.enable();
  // The histogram holds the time between samples, interval included: an idle loop reads
  // ~10 ms at a 10 ms resolution (measured on Node 20). Subtract it to report the delay alone.
  const delay = (nanoseconds: number): number => Math.max(0, ms(nanoseconds) - resolutionMs);
  let latency: RecordableHistogram = createHistogram();
  // LESSON: counters indexed by status class (1xx..9xx), allocated once: counting a request
  // builds no key string and no object. The snapshot turns them into `{ "2xx": n, ... }`.
  const byClass = new Float64Array(10);
  let total = 0;
  const startElu = performance.eventLoopUtilization();
  let resetElu: EventLoopUtilization = startElu;
  const collectors = new Map<string, () => unknown>();

  const recordRequest = (status: number, durationNs: number): void => {
    total++;
    const statusClass = Math.floor(status / 100);
    if (statusClass >= 1 && statusClass <= 9) byClass[statusClass]!++;
    latency.record(Math.max(1, Math.round(durationNs)));
  };

  // One listener for every response, started time kept on the response itself: no closure
  // per request (the old `res.on('finish', () => ...)` made one for each).
  function onFinish(this: ServerResponse & { [startedAt]?: number }): void {
    recordRequest(this.statusCode, (performance.now() - (this[startedAt] ?? 0)) * 1e6);
  }

  const snapshot = (): MetricsSnapshot => {
    const custom: Record<string, unknown> = {};
    for (const [name, collect] of collectors) custom[name] = collect();
    const hasLoop = loopDelay.count > 0;
    const hasLatency = latency.count > 0;
    return {
      uptimeSeconds: Math.round(process.uptime()),
      pid: process.pid,
      eventLoopDelayMs: {
        p50: hasLoop ? round2(delay(loopDelay.percentile(50))) : 0,
        p99: hasLoop ? round2(delay(loopDelay.percentile(99))) : 0,
        max: hasLoop ? round2(delay(loopDelay.max)) : 0,
        mean: hasLoop ? round2(delay(loopDelay.mean)) : 0,
      },
      eventLoopSamples: loopDelay.count,
      eventLoopUtilization: {
        sinceReset: round3(performance.eventLoopUtilization(resetElu).utilization),
        sinceStart: round3(performance.eventLoopUtilization(startElu).utilization),
      },
      memory: process.memoryUsage(),
      requests: {
        total,
        byStatus: statusCounts(byClass),
        latencyMs: {
          p50: hasLatency ? ms(latency.percentile(50)) : 0,
          p99: hasLatency ? ms(latency.percentile(99)) : 0,
          max: hasLatency ? ms(latency.max) : 0,
        },
      },
      custom,
    };
  };

  const reset = (): void => {
    loopDelay.reset();
    latency = createHistogram();
    resetElu = performance.eventLoopUtilization();
  };

  return {
    middleware: (req, res, next) => {
      if (req.path === '/metrics' || req.path === '/metrics/reset') { next(); return; }
      (res as typeof res & { [startedAt]?: number })[startedAt] = performance.now();
      res.on('finish', onFinish);
      next();
    },
    handler: (req, res, next) => {
      const unknown = Object.keys(req.query);
      if (unknown.length > 0) {
        // The old `?reset=1` must fail loudly, not silently stop resetting.
        const hint = unknown.includes('reset') ? 'unknown field (reset is POST /metrics/reset)' : 'unknown field';
        next(validationError([{ field: unknown.map((k) => `query.${k}`).join(', '), message: hint }]));
        return;
      }
      res.json(snapshot());
    },
    resetHandler: (req, res, next) => {
      const refusal = resetRefusal(req.headers.authorization, req.socket.remoteAddress, resetToken);
      if (refusal) { next(forbidden(refusal)); return; }
      const body = snapshot();
      reset();
      res.json(body);
    },
    snapshot,
    reset,
    register: (name, collect) => { collectors.set(name, collect); },
    recordRequest,
    close: () => loopDelay.disable(),
  };
}

/** Where the metrics middleware keeps a response's start time (performance.now(), ms). */
const startedAt = Symbol('metrics.startedAt');

/** `{ "2xx": n, ... }` for the classes seen, as the snapshot has always shown them. */
function statusCounts(byClass: Float64Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let statusClass = 1; statusClass < byClass.length; statusClass++) {
    if (byClass[statusClass]! > 0) counts[`${statusClass}xx`] = byClass[statusClass]!;
  }
  return counts;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
