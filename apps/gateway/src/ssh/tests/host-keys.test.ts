import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHostKeys } from '../host-keys';
import { ed25519, startSshHarness } from './harness';
import { OpenSshClient, run } from '@edd/ssh-keys/testing';

describe('SSH host keys', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edd-gw-keys-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('are generated once (ed25519 and rsa, 0600) and read back unchanged', async () => {
    const first = loadHostKeys({ devDir: join(dir, 'dev') });
    expect(first.keys.map((k) => k.type)).toEqual(['ssh-ed25519', 'ssh-rsa']);
    const again = loadHostKeys({ devDir: join(dir, 'dev') });
    expect(again.keys.map((k) => k.fingerprint)).toEqual(first.keys.map((k) => k.fingerprint));
    expect((await stat(join(dir, 'dev', 'ssh_host_ed25519_key'))).mode & 0o777).toBe(0o600);
  });

  it('print the fingerprint ssh-keygen prints (what docs/ssh.md tells users to compare)', async () => {
    const { keys } = loadHostKeys({ devDir: join(dir, 'dev') });
    const printed = await run('ssh-keygen', ['-lf', join(dir, 'dev', 'ssh_host_ed25519_key')]);
    expect(printed.stdout.split(' ')[1]).toBe(keys[0]!.fingerprint);
  });

  it('come from GATEWAY_SSH_HOST_KEY_FILE when set, several keys in one file', async () => {
    const dev = loadHostKeys({ devDir: join(dir, 'dev') }).keys;
    const file = join(dir, 'secret');
    await writeFile(file, dev.map((k) => k.privateKey).join('\n'));
    const loaded = loadHostKeys({ keyFile: file, devDir: join(dir, 'unused') });
    expect(loaded.keys.map((k) => k.fingerprint)).toEqual(dev.map((k) => k.fingerprint));
    await writeFile(file, 'not a key');
    expect(() => loadHostKeys({ keyFile: file, devDir: join(dir, 'unused') })).toThrow(/no private key|not a private key/);
  });

  it('stay the same across a gateway restart: a client that trusted the first start connects to the second', async () => {
    const key = ed25519();
    const hostKeyDir = join(dir, 'restart');
    const first = await startSshHarness({ hostKeyDir });
    const trusted = first.hostKeys;
    await first.close();
    const second = await startSshHarness({ hostKeyDir });
    const client = await OpenSshClient.create(second.edge.edge.ports.ssh, trusted);
    try {
      await second.addContainer('restart1', [key]);
      const result = await client.ssh(await client.identity('k', key), 'restart1', 'hostname');
      expect(result.stderr).not.toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
      expect(result.stdout.trim()).toBe('restart1');
      expect(await readFile(join(hostKeyDir, 'ssh_host_ed25519_key'), 'utf8')).toBe(trusted[0]!.privateKey);
    } finally {
      await client.cleanup();
      await second.close();
    }
  });

  // ssh-keyscan waits for the server's banner before it sends its own (the edge used to wait for the client's
  // first bytes to detect SSH, so it closed the connection at its detection deadline with no key shown).
  it('are what ssh-keyscan reads from the SSH port, both types', async () => {
    const h = await startSshHarness({ hostKeyDir: join(dir, 'dev') });
    try {
      const port = String(h.edge.edge.ports.ssh);
      const scanned = await run('ssh-keyscan', ['-T', '20', '-p', port, '-t', 'ed25519,rsa', '127.0.0.1'], { timeoutMs: 40_000 });
      const lines = scanned.stdout.split('\n').filter((line) => line.startsWith(`[127.0.0.1]:${port} `));
      const presented = lines.map((line) => line.split(' ').slice(1, 3).join(' ')).sort();
      expect(presented).toEqual(h.hostKeys.map((k) => k.publicKey.split(' ').slice(0, 2).join(' ')).sort());
    } finally {
      await h.close();
    }
  }, 60_000);
});
