/**
 * The child of the master/child example: answers `hello` and `add` messages.
 */
import { exitWithParent } from '../fork-ts.ts';
import type { ToChild, ToParent } from './messages.ts';

exitWithParent();
const send = (message: ToParent): void => { process.send!(message); };

process.on('message', (message: ToChild) => {
  switch (message.type) {
    case 'hello':
      send({ type: 'greeting', id: message.id, text: `Hello, ${message.name}, from child ${process.pid}`, pid: process.pid });
      break;
    case 'add':
      send({ type: 'sum', id: message.id, value: message.a + message.b });
      break;
  }
});
send({ type: 'ready', pid: process.pid });
