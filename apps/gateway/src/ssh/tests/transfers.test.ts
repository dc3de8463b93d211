import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519, startSshHarness, type SshHarness } from './harness';

// The 100 MB (160-220 s for this file on a shared 2-core machine at load 12-28); SSH_TEST_TRANSFER_MB makes it smaller.
const MEGABYTES = Number(process.env['SSH_TEST_TRANSFER_MB'] ?? 100);

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe(`SSH plane: scp and sftp of ${MEGABYTES} MB both ways`, () => {
  let h: SshHarness;
  let local = '';
  let remote = '';
  let key = '';
  let sourceHash = '';
  const source = () => join(local, 'source.bin');

  beforeAll(async () => {
    h = await startSshHarness();
    const owner = ed25519();
    await h.addContainer('files001', [owner]);
    key = await h.client.identity('owner', owner);
    local = await mkdtemp(join(tmpdir(), 'edd-gw-local-'));
    // The test sshd shares the host's filesystem: a directory of its own stands for the container's disk.
    remote = await mkdtemp(join(tmpdir(), 'edd-gw-remote-'));
    await writeFile(source(), randomBytes(MEGABYTES * 1024 * 1024));
    sourceHash = await sha256(source());
  });
  afterAll(async () => {
    await h?.close();
    await rm(local, { recursive: true, force: true });
    await rm(remote, { recursive: true, force: true });
  });

  const remoteHash = async (path: string) => (await h.client.ssh(key, 'files001', `sha256sum ${path}`)).stdout.split(' ')[0];

  it('scp (SFTP protocol, the OpenSSH 9 default) up and down with matching sha256', async () => {
    const up = await h.client.scp(key, source(), `files001@127.0.0.1:${remote}/scp.bin`);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(await remoteHash(`${remote}/scp.bin`)).toBe(sourceHash);
    const down = await h.client.scp(key, `files001@127.0.0.1:${remote}/scp.bin`, join(local, 'scp-back.bin'));
    expect(down.code).toBe(0);
    expect(await sha256(join(local, 'scp-back.bin'))).toBe(sourceHash);
  }, 180_000);

  it('legacy scp -O (an exec of scp inside the container) up and down', async () => {
    const up = await h.client.scp(key, source(), `files001@127.0.0.1:${remote}/legacy.bin`, ['-O']);
    expect(up.code).toBe(0);
    expect(await remoteHash(`${remote}/legacy.bin`)).toBe(sourceHash);
    const down = await h.client.scp(key, `files001@127.0.0.1:${remote}/legacy.bin`, join(local, 'legacy-back.bin'), ['-O']);
    expect(down.code).toBe(0);
    expect(await sha256(join(local, 'legacy-back.bin'))).toBe(sourceHash);
  }, 180_000);

  it('sftp put and get with matching sha256', async () => {
    const result = await h.client.sftp(
      key,
      'files001',
      `put ${source()} ${remote}/sftp.bin\nget ${remote}/sftp.bin ${local}/sftp-back.bin\n`,
    );
    expect(result.code).toBe(0);
    expect(await remoteHash(`${remote}/sftp.bin`)).toBe(sourceHash);
    expect(await sha256(join(local, 'sftp-back.bin'))).toBe(sourceHash);
  }, 180_000);

  it('counts the relayed bytes', () => {
    const inbound = /gateway_ssh_bytes_total\{direction="in"\} (\d+)/.exec(h.metrics.render());
    expect(Number(inbound?.[1])).toBeGreaterThan(3 * MEGABYTES * 1024 * 1024);
  });
});
