import { CONTAINER_ID_PATTERN } from '@edd/api-contracts';

export interface SshLogin {
  containerId: string;
  /** The account asked for inside the container: `root` unless the name was `<user>.<containerId>`. */
  user: string;
}

// A user name inside the container: what useradd accepts, short enough to log.
const USER_PATTERN = /^[a-z_][a-z0-9_-]{0,31}$/;

/**
 * `<containerId>` or `<user>.<containerId>`, split at the last `.` (the id never holds one). Undefined for anything
 * else, so malformed names are refused without asking compute.
 */
export function parseLogin(username: string): SshLogin | undefined {
  const dot = username.lastIndexOf('.');
  const containerId = username.slice(dot + 1).toLowerCase();
  const user = dot === -1 ? 'root' : username.slice(0, dot);
  if (!CONTAINER_ID_PATTERN.test(containerId) || !USER_PATTERN.test(user)) return undefined;
  return { containerId, user };
}
