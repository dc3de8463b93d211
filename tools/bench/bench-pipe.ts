/**
 * The floor for any Node proxy: every client connection gets its own upstream connection and bytes are
 * copied both ways without looking at them (no HTTP parsing, routing, headers or logging). Not a usable
 * proxy; it shows how much of the gateway's cost is Node's socket I/O itself. Args: listen port, upstream port.
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
