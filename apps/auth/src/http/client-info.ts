import type { Request } from 'express';

/** Client address as Express resolved it through the trusted proxies (createServiceApp's `trustProxy`). */
export function clientIp(req: Request): string | null {
  return req.ip ?? req.socket.remoteAddress ?? null;
}

/** User agents are attacker-controlled text: bounded before they are stored. */
export function userAgent(req: Request): string | null {
  const value = req.get('user-agent');
  return value ? value.slice(0, 256) : null;
}

/** Parameters in URLs are plain strings in Express 5 (never arrays for named params). */
export function param(req: Request, name: string): string {
  const value = (req.params as Record<string, string | undefined>)[name];
  return typeof value === 'string' ? value : '';
}
