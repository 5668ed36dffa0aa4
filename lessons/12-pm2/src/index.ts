/**
 * Lesson 12's reusable pieces: running pm2's CLI against a daemon kept in the repository's
 * tmp/ folder, and the ecosystem file's path.
 */
export { pm2, pm2Interactive, pm2List, pm2Home, pm2Cli, ecosystemFile, type Pm2Process, type Pm2Result } from './pm2.ts';
