import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client as SshClient, ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519, startSshHarness, type SshHarness } from './harness';

const MIB = 1024 * 1024;
const TOTAL = 64 * MIB;
const CHUNK = 64 * 1024;

// The container's side (the test sshd shares this filesystem): a writer that records how much its stdout took, and a
// reader that reads nothing until a gate file exists, then counts its stdin.
const WRITER = `import sys
out, done, chunk = sys.stdout.buffer, 0, bytes(${CHUNK})
while done < ${TOTAL}:
    out.write(chunk); out.flush(); done += len(chunk)
    with open(sys.argv[1], 'w') as f: f.write(str(done))
`;
const READER = `import os, sys, time
while not os.path.exists(sys.argv[1]): time.sleep(0.05)
n = 0
while True:
    b = sys.stdin.buffer.read(65536)
    if not b: break
    n += len(b)
print(n)
`;

/** Resolves with `read()` once it has not changed for a second: the flow has stalled. */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  let same = 0;
  for (let i = 0; i < 300 && same < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = read();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

function exec(client: SshClient, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel))));
}

describe('SSH plane: flow control (a side that stops reading)', () => {
  let h: SshHarness;
  let client: SshClient;
  let dir = '';

  beforeAll(async () => {
    h = await startSshHarness();
    const owner = ed25519();
    await h.addContainer('flow0001', [owner]);
    dir = await mkdtemp(join(tmpdir(), 'edd-gw-flow-'));
    await writeFile(join(dir, 'writer.py'), WRITER);
    await writeFile(join(dir, 'reader.py'), READER);
    client = await h.connect('flow0001', owner);
  });
  afterAll(async () => {
    client?.end();
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a client that stops reading stops the container writing: the gateway holds a bounded amount', async () => {
    const progress = join(dir, 'written');
    const channel = await exec(client, `python3 ${join(dir, 'writer.py')} ${progress}`);
    // Not read: ssh2 keeps 2 MiB, then sends no window adjust.
    const relayedOut = await settled(() => h.plane.relayedBytes().out);
    const written = Number(await readFile(progress, 'utf8'));
    // To the client: its window and the channel buffer (about 5 MiB). From the container: that, the gateway's receive
    // window and the buffers of sshd and the kernel; without flow control the writer would have finished.
    expect(relayedOut).toBeLessThan(8 * MIB);
    expect(written).toBeLessThan(TOTAL / 2);

    let received = 0;
    channel.on('data', (chunk: Buffer) => (received += chunk.length));
    await new Promise((resolve) => channel.once('close', resolve));
    expect(received).toBe(TOTAL);
  }, 120_000);

  it('output that waits in the gateway for the window of a client still ends with the exit status and a close', async () => {
    // The client, not reading, takes its 2 MiB window; the last MiB waits in the gateway's channel for more window,
    // under that channel's 2 MiB mark, so no 'drain' will say when it went out (this hung before flushed() used a
    // write barrier).
    const size = 3 * MIB;
    const before = h.plane.relayedBytes().out;
    const channel = await exec(client, `head -c ${size} /dev/zero`);
    let exitCode: number | undefined;
    channel.on('exit', (code: number) => (exitCode = code));
    const relayed = (await settled(() => h.plane.relayedBytes().out)) - before;
    expect(relayed).toBe(size);

    let received = 0;
    channel.on('data', (chunk: Buffer) => (received += chunk.length));
    await new Promise((resolve) => channel.once('close', resolve));
    expect(received).toBe(size);
    expect(exitCode).toBe(0);
  }, 60_000);

  it('a container that stops reading stops the client sending: the gateway holds a bounded amount', async () => {
    const gate = join(dir, 'gate');
    const channel = await exec(client, `python3 ${join(dir, 'reader.py')} ${gate}`);
    let output = '';
    channel.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let sent = 0;
    const chunk = Buffer.alloc(CHUNK);
    // Everything handed to ssh2 at once; a chunk's callback runs once the gateway's window let it go out.
    for (let i = 0; i < TOTAL / CHUNK; i++) channel.write(chunk, () => (sent += CHUNK));
    channel.end();
    const relayedIn = await settled(() => h.plane.relayedBytes().in);
    const sentWhileStalled = sent;
    // To the container: sshd's window and the channel buffer. From the client: that and the gateway's receive window.
    expect(relayedIn).toBeLessThan(8 * MIB);
    expect(sentWhileStalled).toBeLessThan(TOTAL / 2);
    expect(existsSync(gate)).toBe(false);

    await writeFile(gate, '');
    await new Promise((resolve) => channel.once('close', resolve));
    expect(output.trim()).toBe(String(TOTAL));
  }, 120_000);
});
