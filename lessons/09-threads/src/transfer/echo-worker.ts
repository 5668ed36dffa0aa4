/**
 * Sends every message straight back; an ArrayBuffer listed as `transfer` goes back moved.
 */
import { parentPort } from 'node:worker_threads';

const port = parentPort!;
port.on('message', (message: { payload: unknown; transfer: boolean }) => {
  const back = message.transfer && message.payload instanceof ArrayBuffer ? [message.payload] : [];
  port.postMessage(message, back);
});
