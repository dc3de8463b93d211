import { posix } from 'node:path';

/** SSH keys one user may hold. */
export const MAX_SSH_KEYS_PER_USER = 10;
/** Keys one container may trust. */
export const MAX_KEYS_PER_CONTAINER = 10;
export const MAX_MOUNT_PATHS = 8;
export const MAX_MOUNT_PATH_LENGTH = 256;
export const MAX_INGRESS_RULES = 16;
export const DEFAULT_MOUNT_PATHS = ['/root'];

/** Paths a mount would hide the system under, or that the runtime itself provides. */
const FORBIDDEN_MOUNTS = ['/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/run', '/sbin', '/sys', '/usr'];

export type Check<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Mount paths: absolute, already normalised (no `.`/`..` segments, no `//`, no trailing `/`), printable, not a system
 * directory, no duplicates and none inside another, at most MAX_MOUNT_PATHS.
 */
export function checkMountPaths(paths: readonly string[]): Check<string[]> {
  if (paths.length > MAX_MOUNT_PATHS) return { ok: false, error: `mount path limit: at most ${MAX_MOUNT_PATHS} mount paths` };
  for (const path of paths) {
    if (!path.startsWith('/')) return { ok: false, error: `mount path "${path}" must be absolute` };
    if (path.length > MAX_MOUNT_PATH_LENGTH) return { ok: false, error: `mount path longer than ${MAX_MOUNT_PATH_LENGTH} characters` };
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f\\]/.test(path)) return { ok: false, error: `mount path "${path}" contains a control character or "\\"` };
    if (path.split('/').includes('..')) return { ok: false, error: `mount path "${path}" must not contain ".."` };
    if (posix.normalize(path) !== path || (path.length > 1 && path.endsWith('/'))) {
      return { ok: false, error: `mount path "${path}" is not normalised (no ".", "//" or trailing "/")` };
    }
    if (FORBIDDEN_MOUNTS.includes(path)) return { ok: false, error: `mount path "${path}" is a system directory` };
  }
  const sorted = [...paths].sort();
  for (const [i, after] of sorted.entries()) {
    const before = sorted[i - 1];
    if (before === undefined) continue;
    if (before === after) return { ok: false, error: `mount path "${after}" is listed twice` };
    if (after.startsWith(`${before}/`)) return { ok: false, error: `mount path "${after}" is inside "${before}"` };
  }
  return { ok: true, value: [...paths] };
}

/** The default image, or one under the allowed prefix (a registry of this platform); no other sources. */
export function checkImage(image: string, allowed: { defaultImage: string; prefix: string }): Check<string> {
  if (image === allowed.defaultImage) return { ok: true, value: image };
  const rest = image.startsWith(allowed.prefix) ? image.slice(allowed.prefix.length) : undefined;
  if (rest && /^[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/.test(rest)) {
    return { ok: true, value: image };
  }
  return { ok: false, error: `image not allowed: use ${allowed.defaultImage} or an image under ${allowed.prefix}` };
}

/** External ports the gateway listens on for containers (RFC-free: the platform's choice, as in the original). */
export function isAllowedExternalPort(port: number): boolean {
  return port === 80 || port === 443 || (port >= 8000 && port <= 8999);
}
