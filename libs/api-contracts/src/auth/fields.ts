import { z } from 'zod';

// Field rules of the auth API, shared by the server's validation and the clients' types.

/** Lower-case letters, digits, `_`, `.` and `-`; 3 to 32 characters (mirrors the users table CHECK). */
export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;
export const DISPLAY_NAME_MAX = 64;
/** scrypt input bound; counted in UTF-8 bytes by the server (a JSON string may hold up to 4 bytes per character). */
export const PASSWORD_MAX_BYTES = 256;
/** The lifetimes a token may be created with (the dashboard offers exactly these). */
export const TOKEN_EXPIRY_OPTIONS = ['30d', '90d', '365d', 'never'] as const;
/** The same list as @edd/scopes' SCOPE_ACTIONS (contracts import no util lib; a test in apps/auth compares them). */
export const SCOPE_ACTION_NAMES = ['create', 'read', 'update', 'delete'] as const;

/** ISO-8601 string (what apps/auth sends); the public reference used Unix seconds, so readers accept both. */
export const timestampSchema = z.union([z.string(), z.number()]);
export type Timestamp = z.infer<typeof timestampSchema>;

export const scopeActionSchema = z.enum(SCOPE_ACTION_NAMES, { error: 'actions must be create, read, update or delete' });
export type ScopeAction = z.infer<typeof scopeActionSchema>;

/** `"<root>.<user_id>[.<resource>[.<id>]]"` -> allowed actions. Shape only: the grammar and ownership are auth's to check. */
export const scopeGrantsSchema = z.record(z.string(), z.array(scopeActionSchema));
export type ScopeGrants = z.infer<typeof scopeGrantsSchema>;

export const tokenExpirySchema = z.enum(TOKEN_EXPIRY_OPTIONS);
export type TokenExpiry = z.infer<typeof tokenExpirySchema>;

/** Names are shown in lists and logs: no control characters (newlines, terminal escapes). */
const noControlCharacters = (value: string) => !/\p{Cc}/u.test(value);
const label = (max: number) => z.string().trim().min(1).max(max).refine(noControlCharacters, 'must not contain control characters');

export const tokenNameSchema = label(64);
export const displayNameSchema = label(DISPLAY_NAME_MAX);
