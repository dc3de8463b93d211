import { z } from 'zod';
import { EXPIRES_IN_OPTIONS } from '../domain/token-expiry';
import { DISPLAY_NAME_MAX } from '../domain/usernames';

// Request body fields shared by several routes.

/** Names are shown in lists and logs: no control characters (newlines, terminal escapes). */
const noControlCharacters = (value: string) => !/\p{Cc}/u.test(value);
const label = (max: number) => z.string().trim().min(1).max(max).refine(noControlCharacters, 'must not contain control characters');

export const tokenName = label(64);
export const displayName = label(DISPLAY_NAME_MAX);
export const expiresIn = z.enum(EXPIRES_IN_OPTIONS).default('never');
/** Shape only; the scope grammar and ownership are checked by @edd/scopes (requireValidScopes). */
export const scopesField = z.record(z.string(), z.unknown());
