import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildBwrapArgs, buildLaunchCommand, LAUNCHER_SCRIPT, SANDBOX_MAIN, type SandboxCommandInput } from './bwrap-command';
import { containerPaths, SSH_DIR_INSIDE } from './container-paths';

const paths = containerPaths('/srv/edd', 'ab12cd34');
const input: SandboxCommandInput = {
  id: 'ab12cd34',
  netns: 'edd-ab12cd34',
  system: [{ path: '/usr' }, { path: '/bin', symlinkTo: 'usr/bin' }, { path: '/lib64' }],
  etcEntries: ['passwd', 'ssl'],
  paths,
  volumes: [
    { host: '/srv/edd/ab12cd34/volumes/data', inside: '/data' },
    { host: '/srv/edd/ab12cd34/volumes/data/app', inside: '/data/app' },
  ],
  cgroupProcsFiles: ['/sys/fs/cgroup/edd-sandbox/ab12cd34/cgroup.procs'],
  prlimit: [],
};

/** The (flag, operands) pairs of an argv, so assertions read like the command. */
function pairs(args: string[], flag: string, arity: number): string[][] {
  const found: string[][] = [];
  args.forEach((arg, index) => {
    if (arg === flag) found.push(args.slice(index + 1, index + 1 + arity));
  });
  return found;
}

describe('bwrap arguments', () => {
  const args = buildBwrapArgs(input);

  it('unshares PID, UTS and IPC (not the network: the netns is entered before) and names the host', () => {
    expect(args).toEqual(expect.arrayContaining(['--unshare-pid', '--unshare-uts', '--unshare-ipc', '--die-with-parent']));
    expect(args).not.toContain('--unshare-net');
    expect(args).not.toContain('--unshare-all');
    expect(pairs(args, '--hostname', 1)).toEqual([['ab12cd34']]);
  });

  it('binds system directories read-only, keeps merged-/usr symlinks, and only listed /etc entries', () => {
    expect(pairs(args, '--ro-bind', 2)).toEqual(
      expect.arrayContaining([
        ['/usr', '/usr'],
        ['/lib64', '/lib64'],
        [paths.ssh, SSH_DIR_INSIDE],
        [join(paths.etc, 'hostname'), '/etc/hostname'],
      ]),
    );
    expect(pairs(args, '--symlink', 2)).toEqual([['usr/bin', '/bin']]);
    expect(pairs(args, '--ro-bind-try', 2)).toEqual([
      ['/etc/passwd', '/etc/passwd'],
      ['/etc/ssl', '/etc/ssl'],
    ]);
    expect(pairs(args, '--ro-bind', 2)).not.toContainEqual(['/etc', '/etc']);
  });

  it('binds only the home and the volumes writable, parents before children', () => {
    expect(pairs(args, '--bind', 2)).toEqual([
      [paths.home, '/root'],
      ['/srv/edd/ab12cd34/volumes/data', '/data'],
      ['/srv/edd/ab12cd34/volumes/data/app', '/data/app'],
    ]);
  });

  it('gives fresh /proc, /dev, /tmp and /run, with sshd’s privilege-separation directory', () => {
    expect(pairs(args, '--proc', 1)).toEqual([['/proc']]);
    expect(pairs(args, '--dev', 1)).toEqual([['/dev']]);
    expect(pairs(args, '--tmpfs', 1)).toEqual([['/tmp'], ['/var'], ['/run']]);
    expect(pairs(args, '--dir', 1)).toContainEqual(['/run/sshd']);
  });

  it('ends with sshd in the foreground logging to stderr, after --', () => {
    expect(args.slice(args.indexOf('--') + 1)).toEqual(SANDBOX_MAIN);
    expect(SANDBOX_MAIN).toEqual(['/usr/sbin/sshd', '-D', '-e', '-f', `${SSH_DIR_INSIDE}/sshd_config`]);
  });
});

describe('launch command', () => {
  it('joins the cgroups, then ip netns exec, then bwrap', () => {
    const argv = buildLaunchCommand(input);
    expect(argv.slice(0, 3)).toEqual(['/bin/sh', '-c', LAUNCHER_SCRIPT]);
    const netnsAt = argv.indexOf('ip');
    expect(argv.slice(4, netnsAt)).toEqual(['1', '/sys/fs/cgroup/edd-sandbox/ab12cd34/cgroup.procs']);
    expect(argv.slice(netnsAt, netnsAt + 5)).toEqual(['ip', 'netns', 'exec', 'edd-ab12cd34', 'bwrap']);
  });

  it('puts prlimit in front when there are no cgroups', () => {
    const argv = buildLaunchCommand({ ...input, cgroupProcsFiles: [], prlimit: ['--data=268435456'] });
    expect(argv.slice(4, 9)).toEqual(['0', 'prlimit', '--data=268435456', '--', 'ip']);
  });

  it('the launcher script writes its own pid to each file, then execs the rest with arguments intact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edd-launcher-'));
    try {
      const files = [join(dir, 'a procs'), join(dir, 'b')];
      for (const file of files) await writeFile(file, '');
      const hostile = '$(touch pwned); `id`';
      const { stdout } = await promisify(execFile)('/bin/sh', [
        '-c',
        LAUNCHER_SCRIPT,
        'x',
        '2',
        ...files,
        '/bin/sh',
        '-c',
        'echo $$; printf "%s" "$1"',
        'y',
        hostile,
      ]);
      const [pid, echoed] = stdout.split('\n');
      expect(echoed).toBe(hostile);
      for (const file of files) expect((await readFile(file, 'utf8')).trim()).toBe(pid);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
