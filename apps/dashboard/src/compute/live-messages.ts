import type { ComputeLiveMessage, Container } from '@edd/api-client';

// `WS /compute/ws`: `{"type":"containers","data":[...]}` once, then `{"type":"container_status","data":{...}}`.

/** A message of the compute feed, or undefined for anything else (a newer server's message type is ignored). */
export function parseComputeLiveMessage(text: string): ComputeLiveMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, data } = value as { type?: unknown; data?: unknown };
  if (type === 'containers' && Array.isArray(data)) return { type, data: data as Container[] };
  if (type === 'container_status' && typeof data === 'object' && data !== null) {
    const status = data as Record<string, unknown>;
    const versionOk = status.version === undefined || (typeof status.version === 'number' && Number.isInteger(status.version));
    if (typeof status.container_id === 'string' && typeof status.status === 'string' && versionOk) {
      return { type, data: data as Extract<ComputeLiveMessage, { type: 'container_status' }>['data'] };
    }
  }
  return undefined;
}

type StatusChange = Extract<ComputeLiveMessage, { type: 'container_status' }>['data'];

/**
 * Is the change not newer than what the page shows? Versions grow with every change of a container, in commit
 * order, so a change that arrives after a newer list or a newer change is late. A change or container without a
 * version (from an older server) is never judged late.
 */
export function isLateChange(container: Pick<Container, 'version'>, change: StatusChange): boolean {
  return change.version !== undefined && container.version !== undefined && change.version <= container.version;
}

/** The list after one status change: a deleted container leaves it, the others take the new status; late changes are ignored. */
export function applyStatusChange(containers: readonly Container[], change: StatusChange): Container[] {
  const current = containers.find((c) => c.id === change.container_id);
  if (current === undefined || isLateChange(current, change)) return [...containers];
  if (change.status === 'deleted') return containers.filter((c) => c.id !== change.container_id);
  return containers.map((c) => (c === current ? withStatus(c, change) : c));
}

/** One container after a status change (the SSH command goes when SSH is turned off); itself when the change is late. */
export function withStatus(container: Container, change: StatusChange): Container {
  if (change.status === 'deleted' || isLateChange(container, change)) return container;
  const next: Container = { ...container, status: change.status, ssh_enabled: change.ssh_enabled };
  if (change.version !== undefined) next.version = change.version;
  if (!change.ssh_enabled) delete next.ssh_command;
  return next;
}

/**
 * A container as fetched, unless the page already holds a newer version of it (a live change that arrived while
 * the GET was on its way, which read the row before that change committed).
 */
export function newerContainer(held: Container | undefined, fetched: Container): Container {
  return held !== undefined && held.id === fetched.id && held.version > fetched.version ? held : fetched;
}

/** The fetched list, with each container the page holds at a newer version kept as held. */
export function newerContainers(held: readonly Container[] | undefined, fetched: Container[]): Container[] {
  if (held === undefined) return fetched;
  const byId = new Map(held.map((c) => [c.id, c]));
  return fetched.map((c) => newerContainer(byId.get(c.id), c));
}
