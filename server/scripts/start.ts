// `npm start`: build the client if needed, then run the server (API, Socket.IO and client on one port).
import { ensureClientBuilt } from './clientBuild';
import { main } from '../index';
import { startDemo } from '../sim/demo';

await ensureClientBuilt();
const started = await main();
// `npm start -- --demo`: simulated history and live traffic for the demo sites (README).
if (process.argv.includes('--demo')) await startDemo(started);
