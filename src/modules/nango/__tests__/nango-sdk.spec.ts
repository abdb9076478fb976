import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { createNangoSdk } from '../nango.client';

describe('createNangoSdk', () => {
  it('configures the official client with `apiKey` (not the deprecated `secretKey`) and sends it as a Bearer token', async () => {
    const seen: Array<{ url?: string; headers: IncomingHttpHeaders }> = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ connections: [] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const sdk = createNangoSdk(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'env-api-key', 5000);
      expect(sdk.apiKey).toBe('env-api-key');
      expect(sdk.secretKey).toBeUndefined();
      expect(sdk.http.defaults.timeout).toBe(5000);

      await sdk.listConnections({ integrationId: 'hubspot', tags: { organization_id: 'tenant-1' }, limit: 1 });
      expect(seen).toHaveLength(1);
      expect(seen[0].headers.authorization).toBe('Bearer env-api-key');
      // The tag filter as Nango's API takes it.
      expect(new URL(seen[0].url!, 'http://x').searchParams.get('tags[organization_id]')).toBe('tenant-1');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
