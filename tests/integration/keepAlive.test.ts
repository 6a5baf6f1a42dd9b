import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../support/testServer';

/**
 * Kept-alive connections: the server keeps idle ones longer than a proxy or an HTTP client does,
 * so the two never close one at the same moment (with Node's default 5 s, a request sent on a
 * connection the server was closing met ECONNRESET — "fetch failed" in loaded test runs, a 502
 * behind a proxy). Every test server's close() in the suite shows it still shuts down promptly.
 */
describe('HTTP keep-alive', () => {
  function get(agent: Agent, url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('tells clients it keeps idle connections for 125 s (longer than a proxy keeps them)', async () => {
    const srv = await startTestServer();
    const agent = new Agent({ keepAlive: true });
    try {
      const res = await get(agent, `${srv.baseUrl}/api/health`);
      expect(res.status).toBe(200);
      expect(res.headers['keep-alive']).toBe('timeout=125');
    } finally {
      agent.destroy();
      await srv.close();
    }
  });
});
