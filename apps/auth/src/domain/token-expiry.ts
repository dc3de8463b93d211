import type { TokenExpiry } from '@edd/api-contracts';

/** The lifetimes a token may be created with: `TOKEN_EXPIRY_OPTIONS` of the API contract. */
export type ExpiresIn = TokenExpiry;

const DAYS: Record<Exclude<ExpiresIn, 'never'>, number> = { '30d': 30, '90d': 90, '365d': 365 };

export function tokenExpiry(expiresIn: ExpiresIn, now = new Date()): Date | null {
  if (expiresIn === 'never') return null;
  return new Date(now.getTime() + DAYS[expiresIn] * 86_400_000);
}

export function isExpired(expiresAt: Date | null, now = new Date()): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}
