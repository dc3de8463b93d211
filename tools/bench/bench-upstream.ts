/** The benchmark's upstream: node:http, "/" answers 5 bytes, "/1k" answers 1 KiB. Port from argv[2]. */
import { createServer } from 'node:http';

const small = Buffer.from('hello');
const kib = Buffer.alloc(1024, 'a');
const port = Number(process.argv[2] ?? 18190);

const server = createServer((req, res) => {
  // no-store: the gateway's response cache must not answer for the upstream (we measure proxying).
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'text/plain');
  res.end(req.url === '/1k' ? kib : small);
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.stderr.write(`upstream ready ${port}\n`));
process.once('SIGTERM', () => process.exit(0));
