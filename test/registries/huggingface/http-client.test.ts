import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamError } from '../../../src/errors.js';
import { HttpClient } from '../../../src/registries/http.js';
import { fixture } from './world.js';

/** The HttpClient behaviours the Hub registry leans on: Retry-After, RateLimit, unreachable. */

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('HttpClient against the Hub', () => {
  it('waits what Retry-After says, then what RateLimit t= says when r=0', async () => {
    const limited = fixture<{ cases: { headers: Record<string, string>; body: unknown }[] }>(
      'rate-limit-429.json',
    ).cases[0] as { headers: Record<string, string>; body: unknown };
    let n = 0;
    const server = createServer((_req, res) => {
      n++;
      if (n === 1) res.writeHead(429, { 'retry-after': '7', ...limited.headers });
      else if (n === 2)
        res.writeHead(429, limited.headers); // "api";r=0;t=55, no Retry-After
      else res.writeHead(200, { 'content-type': 'application/json' });
      res.end(n <= 2 ? JSON.stringify(limited.body) : '{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const waits: number[] = [];
    const http = new HttpClient({
      registry: 'huggingface',
      baseUrl: `http://127.0.0.1:${port}`,
      retries: 3,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    try {
      const res = await http.getJson(http.url('/api/models/openai-community/gpt2'));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ok: true });
      expect(waits).toEqual([7000, 55000]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('does not retry a refused connection and sends nothing more to that origin', async () => {
    const port = await closedPort();
    const sent: string[] = [];
    const waits: number[] = [];
    const http = new HttpClient({
      registry: 'huggingface',
      baseUrl: `http://127.0.0.1:${port}`,
      retries: 3,
      onRequest: (method, url) => sent.push(`${method} ${url}`),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const first = await http.get(http.url('/api/models/a/b')).catch((e: unknown) => e);
    const second = await http.get(http.url('/api/models/c/d')).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(UpstreamError);
    expect((first as UpstreamError).message).toBe(
      `GET http://127.0.0.1:${port}/api/models/a/b failed: http://127.0.0.1:${port} is unreachable (fetch failed (connect ECONNREFUSED 127.0.0.1:${port}))`,
    );
    expect((second as UpstreamError).message).toBe(
      `GET http://127.0.0.1:${port}/api/models/c/d failed: http://127.0.0.1:${port} is unreachable (fetch failed (connect ECONNREFUSED 127.0.0.1:${port}))`,
    );
    expect(sent).toEqual([`GET http://127.0.0.1:${port}/api/models/a/b`]);
    expect(waits).toEqual([]);
  });
});
