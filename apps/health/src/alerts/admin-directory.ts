import { z } from 'zod';

const usersSchema = z.array(z.object({ user_id: z.string(), is_admin: z.boolean() }));
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface AdminDirectoryOptions {
  authUrl: string;
  serviceKey: string;
  /** How long a fetched list is reused (default 60 s). */
  ttlMs?: number;
  timeoutMs?: number;
}

/**
 * The admins' user ids, from auth's `GET /internal/users` (service key), cached for `ttlMs`. A failed refresh keeps the
 * last good list (an alert during an auth outage still reaches the admins known a minute ago).
 */
export function createAdminDirectory(options: AdminDirectoryOptions): () => Promise<string[]> {
  const ttlMs = options.ttlMs ?? 60_000;
  let cached: { ids: string[]; at: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.ids;
    try {
      const res = await fetch(new URL('/internal/users', options.authUrl), {
        headers: { 'x-service-key': options.serviceKey, accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
      });
      if (!res.ok) throw new Error(`auth answered ${res.status} for /internal/users`);
      const text = await res.text();
      if (text.length > MAX_BODY_BYTES) throw new Error('auth users answer is too large');
      const ids = usersSchema
        .parse(JSON.parse(text))
        .filter((u) => u.is_admin)
        .map((u) => u.user_id);
      cached = { ids, at: Date.now() };
      return ids;
    } catch (error) {
      if (cached) return cached.ids;
      throw error;
    }
  };
}
