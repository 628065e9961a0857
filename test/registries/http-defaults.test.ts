import { HttpClient } from '../../src/registries/http.js';
import { startStub } from './package-stubs.js';

describe('HttpClient options', () => {
  it('keeps its defaults for options passed as undefined (as OnlineOptions leaves them)', async () => {
    const stub = await startStub(() => ({ status: 200, json: { ok: true } }));
    try {
      const client = new HttpClient({
        registry: 'test',
        baseUrl: stub.url,
        fetch: undefined,
        timeoutMs: undefined,
        retries: undefined,
        concurrency: undefined,
      });
      const res = await client.getJson(client.url('/x'));
      expect([res.status, res.json]).toEqual([200, { ok: true }]);
    } finally {
      await stub.close();
    }
  });
});
