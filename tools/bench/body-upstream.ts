/**
 * The body benchmark's upstream (tools/bench/body-bench.ts): node:http, a POST body is counted and dropped
 * (answer: `<bytes> bytes in <chunks> chunks`),
 * a GET answers `?bytes=N` bytes (a reused 1 MiB block, written as the socket drains). Port from argv[2].
 */
import { createServer } from 'node:http';

const block = Buffer.alloc(1024 * 1024, 0x61);
const port = Number(process.argv[2] ?? 18191);

const server = createServer((req, res) => {
  if (req.method !== 'GET') {
    let n = 0;
    let chunks = 0;
    req.on('data', (chunk: Buffer) => {
      n += chunk.length;
      chunks++;
    });
    // The chunk count shows how the body arrived (a proxy that dribbles costs the upstream more reads).
    req.on('end', () => res.end(`${n} bytes in ${chunks} chunks`));
    return;
  }
  const total = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('bytes') ?? 0);
  res.setHeader('Content-Length', total);
  res.setHeader('Cache-Control', 'no-store');
  let left = total;
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, block.length);
      left -= n;
      if (!res.write(n === block.length ? block : block.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.stderr.write(`upstream ready ${port}\n`));
process.once('SIGTERM', () => process.exit(0));
