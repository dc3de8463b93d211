import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE as DOCKER_DEFAULT_IMAGE } from './docker/names';
import { DEFAULT_IMAGE } from './kubernetes/names';

const IMAGE_DIR = fileURLToPath(new URL('../../image/', import.meta.url));
const ENTRYPOINT = join(IMAGE_DIR, 'entrypoint.sh');

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the base image (apps/compute/image)', () => {
  it('has an entrypoint that POSIX sh parses', () => {
    expect(spawnSync('sh', ['-n', ENTRYPOINT]).status).toBe(0);
    expect(statSync(ENTRYPOINT).mode & 0o111).not.toBe(0);
  });

  it('pins its base image and runs sshd in the foreground under tini', () => {
    const dockerfile = readFileSync(join(IMAGE_DIR, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM debian:bookworm-\d{8}-slim$/m);
    expect(dockerfile).not.toMatch(/:latest/);
    expect(dockerfile).toContain('ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/edd-entrypoint"]');
  });

  it('is built under the tag the drivers default to (project.json target, README)', () => {
    const tag = DEFAULT_IMAGE.split(':')[1];
    expect(DOCKER_DEFAULT_IMAGE).toBe(DEFAULT_IMAGE);
    const project = JSON.parse(readFileSync(join(IMAGE_DIR, '../project.json'), 'utf8')) as {
      targets: Record<string, { options?: { command?: string } }>;
    };
    expect(project.targets['image']?.options?.command).toContain(`edd-compute-base:${tag} apps/compute/image`);
    expect(readFileSync(join(IMAGE_DIR, 'README.md'), 'utf8')).toContain(`edd-compute-base:${tag}`);
  });

  it('configures sshd for keys only, root without a password, the forwards the gateway relays and no X11', () => {
    const config = Object.fromEntries(
      readFileSync(join(IMAGE_DIR, 'sshd_config'), 'utf8')
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => [line.split(/\s+/)[0], line.split(/\s+/).slice(1).join(' ')]),
    );
    expect(config).toMatchObject({
      PasswordAuthentication: 'no',
      KbdInteractiveAuthentication: 'no',
      PermitRootLogin: 'prohibit-password',
      AllowAgentForwarding: 'yes',
      AllowTcpForwarding: 'yes',
      GatewayPorts: 'no',
      X11Forwarding: 'no',
      AuthorizedKeysFile: '/etc/ssh/authorized_keys.d/%u',
      HostKey: '/etc/ssh/ssh_host_ed25519_key',
    });
    if (existsSync('/usr/sbin/sshd')) {
      // sshd's own test mode accepts the file (with a throwaway host key in place of the real one).
      const dir = mkdtempSync(join(tmpdir(), 'sshd-config-'));
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host')]);
      const result = spawnSync('/usr/sbin/sshd', ['-t', '-f', join(IMAGE_DIR, 'sshd_config'), '-h', join(dir, 'host')]);
      expect(result.status, result.stderr.toString()).toBe(0);
    }
  });

  it('installs the keys with tight modes, follows authorized_keys changes within seconds, and passes TERM to sshd', async () => {
    const root = mkdtempSync(join(tmpdir(), 'edd-entrypoint-'));
    const keys = join(root, 'keys');
    const etc = join(root, 'etc-ssh');
    const mount = join(root, 'srv', 'data');
    mkdirSync(keys);
    writeFileSync(join(keys, 'ssh_host_ed25519_key'), 'PRIVATE\n');
    writeFileSync(join(keys, 'ssh_host_ed25519_key.pub'), 'ssh-ed25519 AAAAhost\n');
    writeFileSync(join(keys, 'authorized_keys'), 'ssh-ed25519 AAAAfirst\n');
    // A stand-in sshd: records its arguments and runs until TERM.
    const fakeSshd = join(root, 'sshd');
    writeFileSync(fakeSshd, `#!/bin/sh\necho "$@" > ${root}/sshd-args\ntrap 'exit 0' TERM\nwhile :; do sleep 0.1; done\n`);
    chmodSync(fakeSshd, 0o755);

    const child = spawn('sh', [ENTRYPOINT], {
      env: {
        PATH: process.env['PATH'],
        EDD_SSH_DIR: keys,
        EDD_SSH_ETC: etc,
        EDD_SSHD: fakeSshd,
        EDD_RUN_DIR: join(root, 'run'),
        EDD_KEYS_POLL_SECONDS: '1',
        EDD_MOUNT_PATHS: `${mount}:`,
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const authorized = join(etc, 'authorized_keys.d', 'root');
      await until(() => existsSync(join(root, 'sshd-args')), 5_000);
      expect(readFileSync(join(root, 'sshd-args'), 'utf8').trim()).toBe('-D -e');
      expect(readFileSync(authorized, 'utf8')).toBe('ssh-ed25519 AAAAfirst\n');
      expect(statSync(authorized).mode & 0o777).toBe(0o600);
      expect(statSync(join(etc, 'ssh_host_ed25519_key')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(etc, 'ssh_host_ed25519_key.pub'), 'utf8')).toBe('ssh-ed25519 AAAAhost\n');
      expect(statSync(mount).isDirectory()).toBe(true);

      writeFileSync(join(keys, 'authorized_keys'), 'ssh-ed25519 AAAAsecond\n');
      await until(() => readFileSync(authorized, 'utf8') === 'ssh-ed25519 AAAAsecond\n', 4_000);
      await until(() => stderr.includes('authorized_keys updated'), 1_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses to start without the host key the gateway pins', () => {
    const root = mkdtempSync(join(tmpdir(), 'edd-entrypoint-'));
    const result = spawnSync('sh', [ENTRYPOINT], {
      env: {
        PATH: process.env['PATH'],
        EDD_SSH_DIR: join(root, 'missing'),
        EDD_SSH_ETC: join(root, 'etc'),
        EDD_SSHD: '/bin/false',
        EDD_RUN_DIR: join(root, 'run'),
      },
      timeout: 5_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.toString()).toMatch(/no host key/);
  });
});
