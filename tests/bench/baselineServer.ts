// The bare stack Roomwatch is built on, for comparison: Express + ioredis INCR + Socket.IO
// broadcast (with the Redis adapter), no validation, auth, scripts or counters.
import { createServer } from 'node:http';
import express from 'express';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl);
const app = express();
app.use(express.json());
const http = createServer(app);
const io = new Server(http, { transports: ['websocket'] });
io.adapter(createAdapter(new Redis(redisUrl), new Redis(redisUrl)));

app.get('/api/health', (_req, res) => void res.json({ status: 'ok' }));
app.post('/api/sites/:siteId/registrations', async (req, res) => {
  const siteId = String(req.params.siteId);
  const seq = await redis.incr(`base:{${siteId}}:seq`);
  io.to(`site:${siteId}`).emit('site:changed', { siteId, seq });
  res.status(201).json({ seq });
});
io.on('connection', (socket) => {
  socket.on('site:subscribe', async ({ siteId }: { siteId: string }, ack: (r: unknown) => void) => {
    await socket.join(`site:${siteId}`);
    ack({ ok: true, snapshot: { seq: Number(await redis.get(`base:{${siteId}}:seq`)) } });
  });
});
http.listen(Number(process.env.PORT ?? 8090), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
