import type { DevApp } from './apps';
import { canListen } from './local-servers';

/** One port an app is about to open. */
export interface PortClaim {
  app: string;
  /** "http", or the name of an extra port ("https", "ssh", "grpc", "admin"). */
  label: string;
  port: number;
}

export function portsOf(apps: readonly DevApp[]): PortClaim[] {
  return apps.flatMap((app) => [
    { app: app.name, label: 'http', port: app.port },
    ...Object.entries(app.extraPorts ?? {}).map(([label, port]) => ({ app: app.name, label, port })),
  ]);
}

/**
 * The claims whose port something else already holds. Checked before anything starts: an app that cannot bind
 * exits, and the readiness check would then be answered by whoever holds the port (often an earlier `npm start`)
 * and report a platform that is not ours as ready.
 */
export async function takenPorts(
  claims: readonly PortClaim[],
  isFree: (port: number) => Promise<boolean> = canListen,
): Promise<PortClaim[]> {
  const free = await Promise.all(claims.map((claim) => isFree(claim.port)));
  return claims.filter((_, index) => !free[index]);
}

export function describeTakenPorts(taken: readonly PortClaim[]): string {
  const list = taken.map((claim) => `${claim.port} (${claim.app}${claim.label === 'http' ? '' : ` ${claim.label}`})`).join(', ');
  return (
    `port${taken.length > 1 ? 's' : ''} already in use: ${list}. ` +
    'Is another `npm start` running? Stop it (Ctrl-C in its terminal), or find the owner with `ss -ltnp`.'
  );
}
