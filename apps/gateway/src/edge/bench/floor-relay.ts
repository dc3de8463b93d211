/**
 * The floor of the gateway's socket I/O, for the instruction count (tools/bench/instructions.ts): a blind relay
 * (one upstream connection per client, bytes copied both ways, no HTTP work) that reads and writes exactly as the
 * edge does — reads straight from the handle into owned buffers (owned-reads.ts, accepted-reads.ts), writes
 * straight to the handle (direct-writes.ts), both batched where the addon is built (batched-io.ts). What it costs
 * per request is what any proxy built on these pays before parsing a byte; the gateway's count minus this one is its
 * HTTP work. Not a usable proxy.
 * Args: listen port, upstream port.
 */
import { connect, createServer } from 'node:net';
import { adoptOwnedReads } from '../http/accepted-reads';
import { configureBatchedIo } from '../http/batched-io';
import { writeBytes } from '../http/direct-writes';
import { kept, ownedChunkReads, readThroughHandle } from '../http/owned-reads';

// As the edge does (GATEWAY_BATCHED_IO, default on where the addon is built): the floor is the edge's I/O.
configureBatchedIo({ enabled: process.env['GATEWAY_BATCHED_IO'] !== 'false' });
const port = Number(process.argv[2]);
const upstreamPort = Number(process.argv[3]);

createServer({ noDelay: true }, (client) => {
  // kept(): a lent read is overwritten by the next read of any socket, and a write the kernel takes only in part
  // holds its bytes until it completes (the edge copies into each response's own buffer the same way).
  const reads = ownedChunkReads((chunk) => writeBytes(client, kept(chunk)));
  const upstream = connect({ port: upstreamPort, host: '127.0.0.1', noDelay: true, onread: reads });
  readThroughHandle(upstream, reads);
  if (!adoptOwnedReads(client, (chunk) => writeBytes(upstream, kept(chunk)))) {
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
  }
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.on('error', () => client.destroy());
  upstream.on('error', () => upstream.destroy());
}).listen(port, '127.0.0.1', () => process.stderr.write(`floor ready ${port}\n`));
process.once('SIGTERM', () => process.exit(0));
