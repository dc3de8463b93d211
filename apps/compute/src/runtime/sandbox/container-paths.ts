import { join, posix } from 'node:path';

/** Where one sandbox keeps its files on the host, under `<dataDir>/<id>/`. */
export interface ContainerPaths {
  root: string;
  state: string;
  /** Host key, sshd_config and authorized_keys; bound read-only at SSH_DIR_INSIDE. */
  ssh: string;
  /** Generated /etc/hostname and /etc/hosts. */
  etc: string;
  /** Root's home, persistent like the volumes. */
  home: string;
  volumes: string;
  log: string;
}

/** Where the sandbox sees its SSH files; sshd_config points here. */
export const SSH_DIR_INSIDE = '/etc/edd-ssh';

const ID_PATTERN = /^[a-z0-9]{1,11}$/;

/** Ids name netns, veth and directories, so only short lowercase alphanumerics get that far (veth names ≤ 15). */
export function assertContainerId(id: string): void {
  if (!ID_PATTERN.test(id)) throw new Error(`container id must match ${ID_PATTERN.source}: ${JSON.stringify(id)}`);
}

export function containerPaths(dataDir: string, id: string): ContainerPaths {
  assertContainerId(id);
  const root = join(dataDir, id);
  return {
    root,
    state: join(root, 'state.json'),
    ssh: join(root, 'ssh'),
    etc: join(root, 'etc'),
    home: join(root, 'home'),
    volumes: join(root, 'volumes'),
    log: join(root, 'output.log'),
  };
}

/** Paths the sandbox builds itself (system dirs, /proc, /dev, /run): a volume there would hide or break them. */
const RESERVED_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/proc', '/dev', '/sys', '/run'];

/** A mount path as an absolute, normalised path outside the reserved system paths; throws with the reason otherwise. */
export function normaliseMountPath(path: string): string {
  if (!path.startsWith('/') || path.includes('\0')) throw new Error(`mount path must be absolute: ${JSON.stringify(path)}`);
  const normalised = posix.normalize(path).replace(/\/+$/, '');
  if (normalised === '' || normalised.split('/').includes('..')) {
    throw new Error(`mount path cannot be / or contain '..': ${JSON.stringify(path)}`);
  }
  const reserved = RESERVED_PATHS.find((prefix) => normalised === prefix || normalised.startsWith(`${prefix}/`));
  if (reserved) throw new Error(`mount path ${normalised} is inside ${reserved}, which the sandbox provides itself`);
  return normalised;
}

/** The host directory holding a mount path's files: the path itself under volumes/, so nested mounts share files. */
export function volumeDirectory(paths: ContainerPaths, mountPath: string): string {
  return join(paths.volumes, normaliseMountPath(mountPath).slice(1));
}
