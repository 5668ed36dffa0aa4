/**
 * The operator's tools: `npm run deploy` reaches the running stack, and the HAProxy runtime
 * API client neither hangs on a silent socket nor calls an empty server list ready.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { haproxyAdmin, waitForServersUp } from '../src/engines/haproxy.ts';

const lessonDir = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lesson-13-ops-'));
const servers: Server[] = [];
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

/** A unix socket server that answers each connection with `answer` (or never, when undefined). */
async function fakeAdmin(name: string, answer: string | undefined): Promise<string> {
  const path = join(dir, name);
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (answer !== undefined) socket.on('data', () => socket.end(answer));
  });
  server.listen(path);
  await once(server, 'listening');
  servers.push(server);
  return path;
}

describe('npm run deploy', () => {
  it('every script in package.json runs a file that exists', () => {
    const scripts = JSON.parse(readFileSync(join(lessonDir, 'package.json'), 'utf8')).scripts as Record<string, string>;
    for (const [name, command] of Object.entries(scripts)) {
      for (const file of command.split(' ').filter((word) => /\.(ts|mjs|js)$/.test(word))) {
        expect(existsSync(join(lessonDir, file)), `${name}: ${file}`).toBe(true);
      }
    }
  });

  const deploy = (pidFile: string) => spawnSync(process.execPath, ['--import', 'tsx', 'src/deploy-cli.ts'], {
    cwd: lessonDir, encoding: 'utf8', env: { ...process.env, LESSON13_PID_FILE: pidFile }, timeout: 60_000,
  });

  it('says plainly that no stack is running, and fails', () => {
    const result = deploy(join(dir, 'missing.pid'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no running stack found');
  });

  it("sends SIGHUP (the stack's rolling deploy) to the pid npm start recorded", async () => {
    const stand = spawn(process.execPath, ['-e', "process.on('SIGHUP', () => { console.log('deploy requested'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000);"], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(stand.stdout, 'data');
      const pidFile = join(dir, 'stack.pid');
      writeFileSync(pidFile, `${stand.pid}\n`);
      let out = '';
      stand.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      const exited = once(stand, 'exit');
      const result = deploy(pidFile);
      expect(result.status, result.stderr).toBe(0);
      const [code] = await exited;
      expect(code).toBe(0);
      expect(out).toContain('deploy requested');
    } finally {
      stand.kill('SIGKILL');
    }
  });
});

describe("HAProxy's runtime API client", () => {
  it('gives up on a socket that never answers, instead of waiting forever', async () => {
    const admin = haproxyAdmin(await fakeAdmin('silent.sock', undefined), { timeoutMs: 300 });
    await expect(admin.command('show stat')).rejects.toThrow(/no answer to "show stat" within 300 ms/);
  });

  it('does not call an empty server list ready: the wait fails, naming each missing server', async () => {
    const admin = haproxyAdmin(await fakeAdmin('empty.sock', '# pxname,svname,status\n\n'));
    await expect(waitForServersUp(admin, ['h1', 'h2'], 300)).rejects.toThrow('h1 not listed, h2 not listed');
  });

  it('is ready once every named server is UP', async () => {
    const csv = '# pxname,svname,status,scur\nhosts,FRONTEND,OPEN,0\nhosts,h1,UP,0\nhosts,h2,UP,1\nhosts,BACKEND,UP,1\n';
    const admin = haproxyAdmin(await fakeAdmin('up.sock', csv));
    await expect(waitForServersUp(admin, ['h1', 'h2'], 5000)).resolves.toBeUndefined();
    const half = haproxyAdmin(await fakeAdmin('half.sock', csv.replace('h2,UP', 'h2,DOWN')));
    await expect(waitForServersUp(half, ['h1', 'h2'], 300)).rejects.toThrow('h2 DOWN');
  });
});
