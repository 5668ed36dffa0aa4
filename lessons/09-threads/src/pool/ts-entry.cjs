// Entry file of every thread this lesson starts (see ts-worker.ts). Plain JavaScript on
// purpose: on Node 20 a Worker's ES module loader does not get tsx's hooks from
// `--import tsx` in execArgv (ERR_UNKNOWN_FILE_EXTENSION for a .ts entry), but tsx's require
// hook does work there, which is also how piscina loads a .ts task. So the TypeScript module
// named in workerData.entry is loaded with require (tsx compiles it to CommonJS: no
// top-level await in thread code). With compiled JavaScript, point the Worker at the .js file.
const { workerData } = require('node:worker_threads');
const { fileURLToPath } = require('node:url');

require(fileURLToPath(workerData.entry));
