import { afterEach, describe, expect, it } from 'vitest';
import { requestJson, spawnServer, type ServerProcess } from '@course/shared/testing';
import { entries, indexPayload } from '../src/index.ts';

describe('entry files (what `pnpm start` and the bench run)', () => {
  let running: ServerProcess | undefined;
  afterEach(async () => {
    await running?.close(2000);
    running = undefined;
  });

  it.each(Object.entries(entries))('%s serves GET /index and exits 0 on SIGTERM', { timeout: 60_000 }, async (_name, entry) => {
    running = await spawnServer(entry);
    const res = await requestJson(`${running.url}/index`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(indexPayload);

    const exited = new Promise<number | null>((resolve) => running!.child.once('exit', (code) => resolve(code)));
    running.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
