/** The sweep's target server (fixed-cost-app.ts) on 127.0.0.1:3025 (PORT to change it). */
import { createServer } from 'node:http';
import { loadConfig, serve } from '@course/shared';
import { fixedCostHandler } from './fixed-cost-app.ts';

const config = loadConfig(process.env, { port: 3025 });
await serve(createServer(fixedCostHandler), { name: 'lesson-05 fixed-cost server', config });
