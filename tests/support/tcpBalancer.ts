import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A connection-level round-robin load balancer on loopback, like a TCP-mode HAProxy: a dead
 * backend (connection refused) is skipped. Enough to test fail-over without sticky sessions.
 */
export async function startBalancer(backends: number[]): Promise<{ port: number; url: string; close(): Promise<void> }> {
  let next = 0;
  const open = new Set<Socket>();
  const connect = (client: Socket, attempt: number) => {
    if (attempt >= backends.length) return client.destroy();
    const port = backends[next++ % backends.length]!;
    const upstream = createConnection({ port, host: '127.0.0.1' });
    let connected = false;
    upstream.on('error', () => {
      if (!connected) connect(client, attempt + 1);
      else client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      open.add(upstream);
      upstream.on('close', () => {
        open.delete(upstream);
        client.destroy();
      });
      client.on('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  };
  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    connect(client, 0);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        for (const s of open) s.destroy();
        server.close(() => done());
      }),
  };
}
