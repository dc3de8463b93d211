import { join } from 'node:path';
import { SSH_DIR_INSIDE, type ContainerPaths } from './container-paths';
import { SSHD_CONFIG_FILE } from './sshd-files';

/** A top-level system path on the host: a directory bound read-only, or a symlink (merged /usr) recreated as one. */
export interface HostSystemEntry {
  path: string;
  symlinkTo?: string;
}

export interface SandboxCommandInput {
  /** Also the hostname. */
  id: string;
  netns: string;
  system: HostSystemEntry[];
  /** Host /etc entries bound read-only when present (passwd, ld.so.cache, ssl ...). */
  etcEntries: string[];
  paths: ContainerPaths;
  /** Volumes: host directory → path inside, bound writable, in this order. */
  volumes: { host: string; inside: string }[];
  /** cgroup.procs files the launcher joins before anything else starts (empty without cgroups). */
  cgroupProcsFiles: string[];
  /** prlimit arguments when there are no cgroups (e.g. `--data=536870912`). */
  prlimit: string[];
}

/** What runs as the sandbox's main process: sshd in the foreground, logging to stderr. */
export const SANDBOX_MAIN = ['/usr/sbin/sshd', '-D', '-e', '-f', `${SSH_DIR_INSIDE}/${SSHD_CONFIG_FILE}`];

/** The host's system entries and the /etc pieces a shell, sshd, python and TLS clients need. */
export const DEFAULT_ETC_ENTRIES = [
  'passwd',
  'group',
  'shadow',
  'nsswitch.conf',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
  'timezone',
  'profile',
  'profile.d',
  'bash.bashrc',
  'environment',
  'inputrc',
  'alternatives',
  'ssl',
  'ca-certificates',
  'terminfo',
  'mime.types',
  'services',
  'protocols',
  'os-release',
  'debian_version',
  'login.defs',
  'skel',
  'vim',
  'ssh/ssh_config',
  'ssh/moduli',
];

/** bwrap's arguments: private PID/UTS/IPC namespaces (the network one is entered before), system dirs read-only. */
export function buildBwrapArgs(input: SandboxCommandInput): string[] {
  const args = ['--die-with-parent', '--unshare-pid', '--unshare-uts', '--unshare-ipc', '--hostname', input.id];
  for (const entry of input.system) {
    if (entry.symlinkTo !== undefined) args.push('--symlink', entry.symlinkTo, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  for (const entry of input.etcEntries) args.push('--ro-bind-try', `/etc/${entry}`, `/etc/${entry}`);
  args.push(
    '--ro-bind',
    join(input.paths.etc, 'hostname'),
    '/etc/hostname',
    '--ro-bind',
    join(input.paths.etc, 'hosts'),
    '/etc/hosts',
    '--ro-bind',
    input.paths.ssh,
    SSH_DIR_INSIDE,
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    '/var',
    '--dir',
    '/var/tmp',
    '--tmpfs',
    '/run',
    // sshd's privilege-separation directory: root-owned, not writable by others.
    '--dir',
    '/run/sshd',
    '--bind',
    input.paths.home,
    '/root',
  );
  for (const volume of input.volumes) args.push('--bind', volume.host, volume.inside);
  args.push('--chdir', '/root', '--setenv', 'HOME', '/root', '--', ...SANDBOX_MAIN);
  return args;
}

/**
 * The launcher joins the cgroups first (so every later process is counted), then enters the network namespace and
 * execs bwrap; each step execs the next, so the spawned pid is bwrap's, whose death takes the PID namespace with it.
 */
export const LAUNCHER_SCRIPT = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 111; shift; n=$((n-1)); done; exec "$@"';

export function buildLaunchCommand(input: SandboxCommandInput): string[] {
  const limit = input.prlimit.length > 0 ? ['prlimit', ...input.prlimit, '--'] : [];
  return [
    '/bin/sh',
    '-c',
    LAUNCHER_SCRIPT,
    'edd-sandbox',
    String(input.cgroupProcsFiles.length),
    ...input.cgroupProcsFiles,
    ...limit,
    'ip',
    'netns',
    'exec',
    input.netns,
    'bwrap',
    ...buildBwrapArgs(input),
  ];
}
