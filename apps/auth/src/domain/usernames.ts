import { USERNAME_PATTERN } from '@edd/api-contracts';

// The pattern and the display-name bound are part of the API contract (@edd/api-contracts), shared with clients.
export { DISPLAY_NAME_MAX, USERNAME_PATTERN } from '@edd/api-contracts';

/** Usernames are case-insensitive: stored and compared lower-case. */
export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

export function isValidUsername(username: string): boolean {
  return USERNAME_PATTERN.test(username);
}
