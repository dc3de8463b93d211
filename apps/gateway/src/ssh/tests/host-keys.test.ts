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
});
