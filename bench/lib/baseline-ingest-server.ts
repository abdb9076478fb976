import { Queue } from 'bullmq';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * Ingest baseline: a bare node:http server that reads the JSON body, does one BullMQ `add`
 * per request and answers 202 with the job id. Nothing else (no auth, lookup or limits).
 */
const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const queue = new Queue('executions', {
  connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
  prefix: process.env.QUEUE_PREFIX ?? 'baseline',
});

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ready') {
    res.writeHead(200, { 'content-length': '2' });
    return res.end('ok');
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-length': '0' });
      return res.end();
    }
    const jobId = randomUUID();
    queue.add('run', { payload, receivedAt: new Date().toISOString() }, { jobId }).then(
      () => {
        const body = JSON.stringify({ executionId: jobId });
        res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      },
      () => {
        res.writeHead(503, { 'content-length': '0' });
        res.end();
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void queue.close().then(() => process.exit(0));
});
