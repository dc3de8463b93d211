import { z } from 'zod';
import { displayNameSchema, PASSWORD_MAX_BYTES, scopeGrantsSchema, tokenExpirySchema, tokenNameSchema, USERNAME_PATTERN } from './fields';

// Request bodies of the auth API. The server parses with these; clients send `z.input` of them (defaults optional).

/** Generous upper bounds: these only keep junk cheap; real rules apply when accounts are created. */
export const loginRequestSchema = z.object({
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
});

export const profileUpdateSchema = z.object({ display_name: displayNameSchema });

/** The strength rules of `new_password` are the server's (weak_password), not the shape's. */
export const passwordChangeSchema = z.object({
  current_password: z.string().min(1).max(1024),
  new_password: z.string().max(1024),
});

export const createTokenRequestSchema = z.object({
  name: tokenNameSchema,
  scopes: scopeGrantsSchema,
  /** Defaults to `never`. */
  expires_in: tokenExpirySchema.default('never'),
});

export const createServiceAccountRequestSchema = z.object({ name: tokenNameSchema, scopes: scopeGrantsSchema });

export const updateServiceAccountScopesSchema = z.object({ scopes: scopeGrantsSchema });

export const createServiceAccountTokenRequestSchema = z.object({ name: tokenNameSchema, expires_in: tokenExpirySchema.default('never') });

export const createUserRequestSchema = z.object({
  username: z.string().trim().toLowerCase().regex(USERNAME_PATTERN, '3-32 characters: a-z, 0-9, "_", "." or "-"'),
  password: z.string().max(PASSWORD_MAX_BYTES * 4),
  /** Defaults to the username. */
  display_name: displayNameSchema.optional(),
  is_admin: z.boolean().default(false),
});

export type LoginRequest = z.input<typeof loginRequestSchema>;
export type ProfileUpdate = z.input<typeof profileUpdateSchema>;
export type PasswordChange = z.input<typeof passwordChangeSchema>;
export type CreateTokenRequest = z.input<typeof createTokenRequestSchema>;
export type CreateServiceAccountRequest = z.input<typeof createServiceAccountRequestSchema>;
export type UpdateServiceAccountScopes = z.input<typeof updateServiceAccountScopesSchema>;
export type CreateServiceAccountTokenRequest = z.input<typeof createServiceAccountTokenRequestSchema>;
export type CreateUserRequest = z.input<typeof createUserRequestSchema>;
