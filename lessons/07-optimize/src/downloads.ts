/**
 * Serving large files: read the whole file into memory, or stream it.
 *
 * `readFile` holds the file in memory once per concurrent download (10 downloads of a 200 MB
 * file: 2 GB of RSS). A stream holds about one highWaterMark chunk (64 KiB) per download.
 * `readable.pipe(res)` already handles backpressure (it pauses the file while the socket's
 * buffer is full); what it lacks is cleanup: when the client goes away it only unpipes, so the
 * file stream and its descriptor stay open, and an error on one side is not passed to the
 * other. `pipeline` adds both: it destroys every stream when one closes early or fails, and
 * reports the error once.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import { notFound, unavailable, validationError } from '@course/shared';

const safeName = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/** Resolves `name` inside `dir`, refusing anything that could leave it (400) or is missing (404). */
async function locate(dir: string, name: string): Promise<{ path: string; size: number }> {
  if (!safeName.test(name) || name.includes('..')) {
    throw validationError([{ field: 'name', message: 'must be a plain file name (letters, digits, . _ -)' }]);
  }
  const path = join(dir, name);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw notFound('File');
    return { path, size: info.size };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('File');
    throw error;
  }
}

function headers(res: Response, size: number): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
}

/** Options for {@link createDownloadsRouter}. */
export interface DownloadsOptions {
  /**
   * Buffered downloads allowed at once (default 1); more are answered 503 with Retry-After.
   * Each holds the whole file in memory, so this bounds that memory to this many files.
   */
  maxBuffered?: number;
}

/** `GET /:name/buffered` and `GET /:name/stream`, serving files from `dir`. */
export function createDownloadsRouter(dir: string, options: DownloadsOptions = {}): Router {
  const router = Router();
  const maxBuffered = options.maxBuffered ?? 1;
  let buffering = 0;

  router.get('/:name/buffered', async (req, res) => {
    const { path, size } = await locate(dir, req.params.name);
    if (req.method === 'HEAD') { headers(res, size); res.end(); return; } // Express routes HEAD here too
    // LESSON: no request may make unbounded work: without a cap, N clients make the server hold
    // N copies of the file (10 of 200 MiB: 2 GB). Beyond the cap, refuse at once.
    if (buffering >= maxBuffered) {
      res.setHeader('Retry-After', '1');
      throw unavailable(`at most ${maxBuffered} buffered download(s) at a time: retry later, or use /files/${req.params.name}/stream`);
    }
    buffering++;
    // The slot is held until the response is done or abandoned: the Buffer lives until then.
    res.once('close', () => { buffering--; });
    // LESSON: the whole file sits in memory until the last byte has been sent
    const contents = await readFile(path);
    headers(res, size);
    res.end(contents);
  });

  router.get('/:name/stream', async (req, res) => {
    const { path, size } = await locate(dir, req.params.name);
    if (req.method === 'HEAD') { headers(res, size); res.end(); return; } // no file read for HEAD
    const file = createReadStream(path);
    // Open before sending a 200: a file that vanished since stat() still gets a JSON 404/500.
    await once(file, 'open').catch((error: NodeJS.ErrnoException) => {
      file.destroy();
      throw error.code === 'ENOENT' ? notFound('File') : error;
    });
    headers(res, size);
    try {
      // LESSON: pipeline, not .pipe(): both pause the file while the socket is full, but only
      // pipeline destroys it (closing the fd) when the client aborts, and propagates errors.
      await pipeline(file, res);
    } catch (error) {
      // A client that hangs up mid-download is normal, not a server error. Any other error
      // comes after the headers: the error handler can only close the connection.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    }
  });

  return router;
}
