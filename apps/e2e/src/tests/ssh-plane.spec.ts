import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createComputeApi, isApiError, type ComputeApi, type Container } from '@edd/api-client';
import { generateEd25519Pair } from '@edd/ssh-keys';
import { OpenSshClient, PTY_DRIVER, run, type RunResult } from '@edd/ssh-keys/testing';
import { runtimeUnavailableReason } from '../support/compute-runtime';
import { urls } from '../support/e2e-env';
import { authApiWithToken, expect, test } from '../support/fixtures';
import { gatewayFetch } from '../support/gateway-fetch';

// Issue 11's SSH plane from a user's side: Debian's ssh/scp/sftp through the gateway's SSH port into ONE real
// container of compute's runtime, created through the API (no browser). The gateway's own tests cover the same
// protocol against a plain sshd; this is the whole platform: compute's authorization, its events, the sandbox's sshd.

/** Size of the file copied each way (MiB); CI may scale it down. */
const TRANSFER_MB = Number(process.env['E2E_SSH_TRANSFER_MB'] || 100);
/** How soon the platform promises a revoked key, a stopped container or SSH turned off to stop new logins. */
const REVOCATION_MS = 1_000;

test.describe.configure({ mode: 'serial' });

let computeApi: ComputeApi;
let container: Container;
let client: OpenSshClient;
/** The owner's key (trusted by the container), as a file for `ssh -i`. */
let ownerKey = '';
const createdKeyIds: string[] = [];
/** Names the fixtures' `uniqueName` would give; hooks cannot use test-scoped fixtures. */
const uniqueName = (prefix: string) => `e2e-${prefix}-${randomBytes(4).toString('hex')}`;

test.beforeAll(async ({ adminComputeApi }) => {
  test.setTimeout(90_000);
  const reason = await runtimeUnavailableReason();
  test.skip(Boolean(reason), `compute reports its container runtime unavailable: ${reason}`);
  computeApi = adminComputeApi;

  const owner = generateEd25519Pair();
  const key = await computeApi.addSshKey({ name: uniqueName('key'), public_key: owner.publicKey });
  createdKeyIds.push(key.id);
  const created = await computeApi.createContainer({ name: uniqueName('ssh'), ssh_key_ids: [key.id] });
  container = created;
  container = await waitForStatus(computeApi, created.id, 'running', 60_000);

  client = await OpenSshClient.create(sshPortOf(container));
  ownerKey = await client.identity('owner', owner);
});

test.afterAll(async () => {
  if (container) await ignoreNotFound(computeApi.deleteContainer(container.id));
  for (const id of createdKeyIds) await ignoreNotFound(computeApi.deleteSshKey(id));
  await client?.cleanup();
});

test('ssh runs a command in the container: stdout, stderr and the exit status come back', async () => {
  const result = await client.ssh(ownerKey, container.id, 'hostname; echo to-stderr >&2; exit 7');
  expect(result.stdout.trim()).toBe(container.id);
  expect(result.stderr).toContain('to-stderr');
  expect(result.code).toBe(7);
});

test('an interactive shell gets a PTY of the terminal size and follows a resize', async () => {
  const args = client.sshArgs(ownerKey, container.id, ['-tt']);
  const result = await run('python3', [PTY_DRIVER, 'ssh', ...args], { timeoutMs: 45_000 });
  expect(result.stdout).toContain('SIZE1 24 80');
  expect(result.stdout).toContain('SIZE2 50 132');
  expect(result.stdout).toMatch(/EXIT=7/);
});

test(`scp and sftp copy ${TRANSFER_MB} MiB both ways with matching sha256`, async () => {
  test.setTimeout(120_000);
  const local = await randomFile(join(client.dir, 'payload.bin'), TRANSFER_MB);
  const remote = (name: string) => `${container.id}@127.0.0.1:/root/${name}`;
  const remoteSha = async (path: string) => (await client.ssh(ownerKey, container.id, `sha256sum ${path}`)).stdout.split(' ')[0];

  // scp -O: the classic protocol (an exec of `scp -t`/`scp -f` in the container) — sftp below covers the subsystem.
  expectOk(await client.scp(ownerKey, local.path, remote('via-scp.bin'), ['-O']));
  expect(await remoteSha('/root/via-scp.bin')).toBe(local.sha256);
  const scpBack = join(client.dir, 'back-scp.bin');
  expectOk(await client.scp(ownerKey, remote('via-scp.bin'), scpBack, ['-O']));
  expect(await sha256Of(scpBack)).toBe(local.sha256);

  expectOk(await client.sftp(ownerKey, container.id, `put ${local.path} /root/via-sftp.bin\n`));
  expect(await remoteSha('/root/via-sftp.bin')).toBe(local.sha256);
  const sftpBack = join(client.dir, 'back-sftp.bin');
  expectOk(await client.sftp(ownerKey, container.id, `get /root/via-sftp.bin ${sftpBack}\n`));
  expect(await sha256Of(sftpBack)).toBe(local.sha256);

  await client.ssh(ownerKey, container.id, 'rm -f /root/via-scp.bin /root/via-sftp.bin');
  await run('rm', ['-f', local.path, scpBack, sftpBack]);
});

test('ssh -L reaches a server listening on the container’s loopback', async () => {
  const marker = `ssh-l-${randomBytes(6).toString('hex')}`;
  const localPort = await freePort();
  const serve = `mkdir -p /tmp/www && echo ${marker} > /tmp/www/index.html && cd /tmp/www && exec timeout 60 python3 -m http.server 8765 --bind 127.0.0.1`;
  const ssh = client.spawnSsh(ownerKey, container.id, ['-o', 'ExitOnForwardFailure=yes', '-L', `${localPort}:127.0.0.1:8765`], serve);
  try {
    await expect
      .poll(
        async () => {
          const response = await fetch(`http://127.0.0.1:${localPort}/`).catch(() => undefined);
          return response?.status === 200 ? (await response.text()).trim() : `status ${response?.status ?? 'none'}`;
        },
        { timeout: 20_000, message: `GET http://127.0.0.1:${localPort}/ through ssh -L` },
      )
      .toBe(marker);
  } finally {
    ssh.kill('SIGTERM');
  }
});

test('ssh -R brings a port opened in the container back to a server of the test', async () => {
  const marker = `ssh-r-${randomBytes(6).toString('hex')}`;
  const paths: string[] = [];
  const server = createHttpServer((req, res) => {
    paths.push(req.url ?? '');
    res.end(marker);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The remote listener may be set up a moment after the command starts: the client asks until it answers.
  const fetchInside = [
    'import time, urllib.request',
    'for _ in range(50):',
    '    try:',
    "        print(urllib.request.urlopen('http://127.0.0.1:8766/from-container', timeout=5).read().decode()); break",
    '    except OSError: time.sleep(0.2)',
    'else: raise SystemExit(1)',
  ].join('\n');
  try {
    const result = await client.ssh(ownerKey, container.id, 'python3 -', {
      flags: ['-o', 'ExitOnForwardFailure=yes', '-R', `8766:127.0.0.1:${port}`],
      input: `${fetchInside}\n`,
    });
    expect(result.stdout.trim()).toBe(marker);
    expect(result.code).toBe(0);
    expect(paths).toEqual(['/from-container']);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('refuses a key nobody registered, another user’s key and an unknown container', async ({ testUser }) => {
  const stranger = await client.identity('stranger', generateEd25519Pair());
  await expectRefused(client.ssh(stranger, container.id, 'echo in'));

  // Another user, with a key of their own registered through the API: still not a key of this container's owner.
  const { token } = await authApiWithToken().login({ username: testUser.username, password: testUser.password });
  const otherApi = createComputeApi({ baseUrl: urls.compute, fetch: gatewayFetch, token });
  const other = generateEd25519Pair();
  const otherKey = await otherApi.addSshKey({ name: 'other-user', public_key: other.publicKey });
  try {
    await expectRefused(client.ssh(await client.identity('other', other), container.id, 'echo in'));
  } finally {
    await ignoreNotFound(otherApi.deleteSshKey(otherKey.id));
    await authApiWithToken(token).logout();
  }

  const unknownId = `z${randomBytes(4).toString('hex').slice(0, 7)}`;
  await expectRefused(client.ssh(ownerKey, unknownId, 'echo in'));
});

test('a key removed through the API no longer logs in one second later', async () => {
  const pair = generateEd25519Pair();
  // A new key is trusted by all of its owner's containers.
  const key = await computeApi.addSshKey({ name: uniqueName('key'), public_key: pair.publicKey });
  createdKeyIds.push(key.id);
  const identity = await client.identity('removed', pair);
  // Logged in once, so whatever the gateway cached says "allow".
  expect((await client.ssh(identity, container.id, 'echo in')).stdout.trim()).toBe('in');

  await computeApi.deleteSshKey(key.id);
  await sleep(REVOCATION_MS);
  await expectRefused(client.ssh(identity, container.id, 'echo in'));
  // The owner's other key is untouched.
  expect((await client.ssh(ownerKey, container.id, 'echo in')).stdout.trim()).toBe('in');
});

test('SSH turned off for the container refuses the owner’s key; turned on again lets it in', async () => {
  await computeApi.setSsh(container.id, false);
  await sleep(REVOCATION_MS);
  await expectRefused(client.ssh(ownerKey, container.id, 'echo in'));

  await computeApi.setSsh(container.id, true);
  await expect.poll(async () => (await client.ssh(ownerKey, container.id, 'echo in')).stdout.trim(), { timeout: 10_000 }).toBe('in');
});

test('a stopped container refuses the owner’s key', async () => {
  await computeApi.stopContainer(container.id);
  await sleep(REVOCATION_MS);
  await expectRefused(client.ssh(ownerKey, container.id, 'echo in'));
});

/** What the client sees of every refusal: exit 255 and the one generic failure, whatever the reason. */
async function expectRefused(attempt: Promise<RunResult>): Promise<void> {
  const result = await attempt;
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain('Permission denied');
  expect(result.code).toBe(255);
}

function expectOk(result: RunResult): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

function sshPortOf(c: Container): number {
  const match = /-p (\d+)/.exec(c.ssh_command ?? '');
  if (!match) throw new Error(`container ${c.id} has no SSH command with a port: ${c.ssh_command}`);
  return Number(match[1]);
}

async function waitForStatus(api: ComputeApi, id: string, status: Container['status'], timeout: number): Promise<Container> {
  let latest = await api.getContainer(id);
  await expect
    .poll(
      async () => {
        latest = await api.getContainer(id);
        return latest.status;
      },
      { timeout, message: `container ${id} becomes ${status}` },
    )
    .toBe(status);
  return latest;
}

/** `mb` MiB of random bytes at `path`, and their sha256. */
async function randomFile(path: string, mb: number): Promise<{ path: string; sha256: string }> {
  const hash = createHash('sha256');
  const out = createWriteStream(path, { mode: 0o600 });
  for (let i = 0; i < mb; i++) {
    const chunk = randomBytes(1024 * 1024);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
  return { path, sha256: hash.digest('hex') };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function ignoreNotFound(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (!(isApiError(error) && error.status === 404)) throw error;
  }
}
