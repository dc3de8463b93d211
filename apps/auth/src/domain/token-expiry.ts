/** The lifetimes a token may be created with (the dashboard offers exactly these). */
export const EXPIRES_IN_OPTIONS = ['30d', '90d', '365d', 'never'] as const;
export type ExpiresIn = (typeof EXPIRES_IN_OPTIONS)[number];

const DAYS: Record<Exclude<ExpiresIn, 'never'>, number> = { '30d': 30, '90d': 90, '365d': 365 };

export function tokenExpiry(expiresIn: ExpiresIn, now = new Date()): Date | null {
  if (expiresIn === 'never') return null;
  return new Date(now.getTime() + DAYS[expiresIn] * 86_400_000);
}

export function isExpired(expiresAt: Date | null, now = new Date()): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}
