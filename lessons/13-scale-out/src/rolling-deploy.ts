/**
 * A rolling deploy through HAProxy's runtime API: one host at a time, drain it, restart it,
 * wait until the balancer's own health check sees it UP, put it back.
 */
import type { Stack } from './stack.ts';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the balancer until `test` holds for `server` (the runtime API has no events). */
async function waitForServer(stack: Stack, server: string, what: string, test: (s: { status: string; current: number }) => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stat = (await stack.haproxy.admin.servers()).find((s) => s.name === server);
    if (stat && test(stat)) return;
    if (Date.now() > deadline) throw new Error(`deploy: ${server} not ${what} within ${timeoutMs} ms (status ${stat?.status})`);
    await pause(50);
  }
}

/** Restarts every host in turn; a host that fails to come back stops the deploy (the others keep serving). */
export async function rollingDeploy(stack: Stack, log: (line: string) => void = console.log): Promise<void> {
  for (const [index, host] of stack.hosts.entries()) {
    const started = Date.now();
    // LESSON: 1. no new requests for this host; its in-flight ones finish.
    await stack.haproxy.admin.setState(host.name, 'drain');
    await waitForServer(stack, host.name, 'idle', (s) => s.current === 0);
    // 2. stop it: /health goes 503, then it drains its workers and exits.
    await stack.stopHost(index);
    // 3. the new release (here: the same code, new processes) starts and says it is ready.
    await stack.startHost(index);
    // 4. the balancer's own checks must see it healthy (DRAIN = up, weight 0) before it gets traffic.
    await waitForServer(stack, host.name, 'healthy', (s) => s.status === 'DRAIN');
    await stack.haproxy.admin.setState(host.name, 'ready');
    log(`deploy: ${host.name} (${host.host}) restarted in ${Date.now() - started} ms`);
  }
}
