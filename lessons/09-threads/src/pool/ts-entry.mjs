// Entry file of every thread this lesson starts. It is plain JavaScript on purpose: on
// Node 20, `--import tsx` in a Worker's execArgv does not reach the thread's ES module
// loader (tested: ERR_UNKNOWN_FILE_EXTENSION), so the thread registers tsx itself, then
// imports the TypeScript module named in `workerData.entry`. With compiled JavaScript in
// production, point the Worker at the .js file instead and drop this.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
