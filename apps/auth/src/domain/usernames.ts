/** Lower-case letters, digits, `_`, `.` and `-`; 3 to 32 characters (mirrors the users table CHECK). */
export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;
export const DISPLAY_NAME_MAX = 64;

/** Usernames are case-insensitive: stored and compared lower-case. */
export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

export function isValidUsername(username: string): boolean {
  return USERNAME_PATTERN.test(username);
}
