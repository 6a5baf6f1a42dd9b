// `npm start`: build the client if needed, then run the server (API, Socket.IO and client on one port).
import { ensureClientBuilt } from './clientBuild';
import { main } from '../index';

await ensureClientBuilt();
await main();
