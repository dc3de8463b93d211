import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerInspectInfo } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { sampleSpec } from '../sample-container-spec';
import { buildContainerOptions, buildVolumeOptions, dockerSpecHash } from './container-options';
import { SSHD_CAPABILITIES } from '../sshd-capabilities';
import { demuxLogFrames, stateFromInspect } from './container-state';
import { authorizedKeysFiles, keyFiles, tarArchive } from './key-archive';
import { DEFAULT_IMAGE, volumeName } from './names';

const spec = sampleSpec();

describe('container options', () => {
  const options = buildContainerOptions(spec, 'edd-compute');
  const host = options.HostConfig!;

  it('labels the container as compute-managed with its id, owner and spec hash', () => {
    expect(options.name).toBe('edd-compute-a1b2c3d4');
    expect(options.Labels).toEqual({
      'app.kubernetes.io/managed-by': 'edd-compute',
      'edd.cloud/container-id': 'a1b2c3d4',
      'edd.cloud/owner-id': spec.ownerId,
      'edd.cloud/spec-hash': dockerSpecHash(spec),
    });
  });

  it("checks sshd's health so the engine's events say when it is ready", () => {
    expect(options.Healthcheck?.Test?.[0]).toBe('CMD-SHELL');
    expect(options.Healthcheck?.Test?.[1]).toContain('/run/sshd.pid');
  });

  it('limits memory (no extra swap), cpu and processes', () => {
    expect(host.Memory).toBe(512 * 1024 * 1024);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.NanoCpus).toBe(500_000_000);
    expect(host.PidsLimit).toBeGreaterThan(0);
  });

  it('drops every capability but what sshd needs, and forbids gaining privileges', () => {
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd).toEqual([...SSHD_CAPABILITIES]);
    expect(host.CapAdd).not.toContain('NET_RAW');
    expect(host.SecurityOpt).toContain('no-new-privileges:true');
    expect(host.Privileged ?? false).toBe(false);
  });

  it('joins the user network and publishes nothing on the host', () => {
    expect(host.NetworkMode).toBe('edd-compute');
    expect(host.PortBindings).toEqual({});
    expect(host.PublishAllPorts).toBe(false);
  });

  it('mounts a named volume per mount path, the same name after a recreate', () => {
    expect(host.Mounts).toEqual([
      { Type: 'volume', Source: volumeName('a1b2c3d4', '/root'), Target: '/root' },
      { Type: 'volume', Source: volumeName('a1b2c3d4', '/srv/data'), Target: '/srv/data' },
    ]);
    expect(volumeName('a1b2c3d4', '/root')).not.toBe(volumeName('a1b2c3d4', '/srv/data'));
    expect(buildVolumeOptions(spec, '/root').Labels?.['edd.cloud/container-id']).toBe('a1b2c3d4');
  });

  it('uses the pinned default image when none is given, and recreates only for image, limits or mounts', () => {
    expect(buildContainerOptions(sampleSpec({ image: '' }), 'n').Image).toBe(DEFAULT_IMAGE);
    expect(dockerSpecHash(sampleSpec({ cpuMillis: 1000 }))).not.toBe(dockerSpecHash(spec));
    expect(dockerSpecHash(sampleSpec({ authorizedKeys: [], ingressPorts: [1234] }))).toBe(dockerSpecHash(spec));
  });
});

describe('key archive', () => {
  it('is a tar that the system tar extracts, with the files, contents and modes the entrypoint expects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    execFileSync('tar', ['-xf', '-', '-C', dir], { input: tarArchive(keyFiles(spec)) });
    const file = (name: string) => join(dir, 'etc/edd/ssh', name);
    expect(readFileSync(file('authorized_keys'), 'utf8')).toBe(`${spec.authorizedKeys.join('\n')}\n`);
    expect(readFileSync(file('ssh_host_ed25519_key'), 'utf8')).toBe(`${spec.hostKey.privateKey}\n`);
    expect(readFileSync(file('ssh_host_ed25519_key.pub'), 'utf8')).toBe('ssh-ed25519 AAAAhost\n');
    expect(statSync(file('ssh_host_ed25519_key')).mode & 0o777).toBe(0o600);
    const listing = execFileSync('tar', ['-tvf', '-'], { input: tarArchive(authorizedKeysFiles(['ssh-ed25519 AAAAx'])) }).toString();
    expect(listing).toMatch(/-rw------- .* etc\/edd\/ssh\/authorized_keys/);
  });
});

describe('state from docker inspect', () => {
  const info = (state: Partial<ContainerInspectInfo['State']>, restarts = 0, ip = '172.30.0.5') =>
    ({
      RestartCount: restarts,
      State: { Status: 'running', Running: false, Restarting: false, OOMKilled: false, ExitCode: 0, Error: '', ...state },
      NetworkSettings: { Networks: { 'edd-compute': { IPAddress: ip } } },
    }) as unknown as ContainerInspectInfo;

  it('no container: stopped while volumes remain, absent without them', () => {
    expect(stateFromInspect('x', undefined, 'edd-compute', true, false).phase).toBe('stopped');
    expect(stateFromInspect('x', undefined, 'edd-compute', false, false).phase).toBe('absent');
  });

  it('running and healthy → running; health still starting or unhealthy → starting, whatever TCP says', () => {
    expect(stateFromInspect('x', info({ Running: true, Health: { Status: 'healthy' } as never }), 'edd-compute', true, false).phase).toBe(
      'running',
    );
    expect(stateFromInspect('x', info({ Running: true, Health: { Status: 'starting' } as never }), 'edd-compute', true, true).phase).toBe(
      'starting',
    );
    expect(
      stateFromInspect('x', info({ Running: true, Health: { Status: 'unhealthy' } as never }), 'edd-compute', true, true).message,
    ).toMatch(/unhealthy/);
  });

  it('without a health check: running with sshd listening → running at its network address; not listening yet → starting', () => {
    expect(stateFromInspect('x', info({ Running: true }), 'edd-compute', true, true)).toEqual({
      id: 'x',
      phase: 'running',
      address: '172.30.0.5',
      restarts: 0,
    });
    expect(stateFromInspect('x', info({ Running: true }), 'edd-compute', true, false).phase).toBe('starting');
  });

  it('a crash loop, an OOM kill or an engine error → failed; an exit after stop → stopped', () => {
    expect(stateFromInspect('x', info({ Restarting: true, ExitCode: 1 }, 1), 'edd-compute', true, false).phase).toBe('starting');
    expect(stateFromInspect('x', info({ Restarting: true, ExitCode: 1 }, 5), 'edd-compute', true, false)).toMatchObject({
      phase: 'failed',
      restarts: 5,
    });
    expect(stateFromInspect('x', info({ Status: 'exited', OOMKilled: true }), 'edd-compute', true, false).message).toMatch(/out of memory/);
    expect(stateFromInspect('x', info({ Status: 'exited', Error: 'no such image' }), 'edd-compute', true, false).phase).toBe('failed');
    expect(stateFromInspect('x', info({ Status: 'exited', ExitCode: 143 }), 'edd-compute', true, false).phase).toBe('stopped');
  });

  it("splits Docker's multiplexed log frames", () => {
    const frame = (stream: number, text: string) => {
      const header = Buffer.alloc(8);
      header.writeUInt8(stream, 0);
      header.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([header, Buffer.from(text)]);
    };
    expect(demuxLogFrames(Buffer.concat([frame(1, 'Server listening\n'), frame(2, 'oops\n')])).toString()).toBe('Server listening\noops\n');
  });
});
