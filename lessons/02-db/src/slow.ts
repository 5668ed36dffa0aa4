/**
 * GET /slow?ms=: a request that takes a while without blocking the loop (a timer, as a slow
 * upstream call would). Used to watch a graceful shutdown finish an in-flight request.
 * Its in-flight count is in /metrics under `custom.slow`.
 */
import { Router } from 'express';
import { validationError, type Metrics } from '@course/shared';

/** Routes: `GET /slow?ms=…` (1 to 10000, default 1000). */
export function createSlowRouter(metrics?: Metrics): Router {
  let inFlight = 0;
  metrics?.register('slow', () => ({ inFlight }));
  const router = Router();
  router.get('/slow', async (req, res) => {
    const unknown = Object.keys(req.query).filter((k) => k !== 'ms');
    if (unknown.length > 0) throw validationError([{ field: unknown.map((k) => `query.${k}`).join(', '), message: 'unknown field' }]);
    const raw = req.query.ms;
    const ms = raw === undefined ? 1000 : typeof raw === 'string' && /^[0-9]{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(ms >= 1 && ms <= 10_000)) throw validationError([{ field: 'query.ms', message: 'must be an integer from 1 to 10000' }]);
    inFlight++;
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      inFlight--;
    }
    res.json({ sleptMs: ms });
  });
  return router;
}
