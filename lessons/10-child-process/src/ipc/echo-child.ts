/**
 * Sends every IPC message straight back: the cost of the channel alone.
 */
import { exitWithParent } from '../fork-ts.ts';

exitWithParent();
process.on('message', (message) => { process.send!(message); });
process.send!('ready');
