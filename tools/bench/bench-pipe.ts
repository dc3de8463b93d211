/**
 * The benchmarks' Node reference: every client connection gets its own upstream connection and bytes are
 * copied both ways without looking at them (no HTTP parsing, routing, headers or logging), read through 'data'
 * events as a plain Node relay would. Not a usable proxy; it shows what socket I/O through Node's streams costs.
 * Not a floor: reading into owned buffers (`onread`), as the gateway does, costs less (docs/gateway-performance.md).
 * Args: listen port, upstream port.
 */
import { connect, createServer } from 'node:net';

const port = Number(process.argv[2]);
const upstreamPort = Number(process.argv[3]);

createServer({ noDelay: true }, (client) => {
  const upstream = connect({ port: upstreamPort, host: '127.0.0.1', noDelay: true });
  client.on('data', (chunk: Buffer) => upstream.write(chunk));
  upstream.on('data', (chunk: Buffer) => client.write(chunk));
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.on('error', () => client.destroy());
  upstream.on('error', () => upstream.destroy());
}).listen(port, '127.0.0.1', () => process.stderr.write(`pipe ready ${port}\n`));
process.once('SIGTERM', () => process.exit(0));
