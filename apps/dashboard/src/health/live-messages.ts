import type { HealthLiveMessage } from '@edd/api-client';

/** A `/ws/health` frame, or undefined for anything that is not one (a newer server's new type included). */
export function parseHealthLiveMessage(text: string): HealthLiveMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, payload } = value as { type?: unknown; payload?: unknown };
  if (typeof payload !== 'object' || payload === null) return undefined;
  if (type === 'cluster' && Array.isArray((payload as { nodes?: unknown }).nodes)) return value as HealthLiveMessage;
  if (type === 'pods' && Array.isArray((payload as { pods?: unknown }).pods)) return value as HealthLiveMessage;
  return undefined;
}
