import { z } from 'zod';
import { scopeActionSchema, scopeGrantsSchema, timestampSchema } from './fields';

// Response bodies of the auth API (snake_case, as the service sends them). Timestamps are ISO 8601; absent ones null.

export const statusResponseSchema = z.object({ status: z.string() });

const identity = {
  user_id: z.string(),
  username: z.string(),
  display_name: z.string(),
  is_admin: z.boolean(),
};

export const loginResponseSchema = z.object({
  ...identity,
  /** The session JWT (also set as the HttpOnly `token` cookie). */
  token: z.string(),
});

export const sessionInfoSchema = z.object({ ...identity, session_id: z.string(), expires_at: timestampSchema.optional() });

export const sessionRecordSchema = z.object({
  id: z.string(),
  created_at: timestampSchema,
  last_seen_at: timestampSchema.nullable(),
  expires_at: timestampSchema,
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  current: z.boolean(),
});

export const adminSessionRecordSchema = sessionRecordSchema.omit({ current: true }).extend({ user_id: z.string(), username: z.string() });

export const profileUpdatedSchema = z.object({ user_id: z.string(), username: z.string(), display_name: z.string() });

export const passwordChangedSchema = z.object({
  status: z.string(),
  /** How many other sessions the change ended. */
  sessions_ended: z.number().optional(),
});

export const apiTokenRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: scopeGrantsSchema,
  expires_at: timestampSchema.nullable(),
  created_at: timestampSchema,
  last_used_at: timestampSchema.nullable(),
  service_account_id: z.string().nullish(),
});

/** Only the creation response carries the secret. */
export const createdApiTokenSchema = apiTokenRecordSchema.extend({ token: z.string() });

export const serviceAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: scopeGrantsSchema,
  token_count: z.number().optional(),
  created_at: timestampSchema,
});

export const adminUserSchema = z.object({ ...identity, created_at: timestampSchema.nullable() });

/** `GET /api/scopes` (the `scopeCatalog` of libs/scopes): which roots, resources and actions a scope may name. */
export const scopeCatalogResponseSchema = z.object({
  format: z.string().optional(),
  actions: z.array(scopeActionSchema).optional(),
  roots: z.record(
    z.string(),
    z.object({
      description: z.string().optional(),
      resources: z.record(z.string(), z.object({ description: z.string().optional(), actions: z.array(scopeActionSchema) })),
    }),
  ),
});

/** Internal `GET /internal/tokens/:id/check` answer (service key required). A refused token is 401 `{valid: false, error, code}`. */
export const tokenCheckResultSchema = z.object({
  valid: z.boolean(),
  token_id: z.string().optional(),
  user_id: z.string().optional(),
  username: z.string().optional(),
  kind: z.enum(['user', 'service_account']).optional(),
  service_account_id: z.string().optional(),
  scopes: scopeGrantsSchema.optional(),
  expires_at: timestampSchema.nullable().optional(),
  error: z.string().optional(),
});

/** Internal `GET /internal/identity-permissions`: every service account's current scopes. */
export const identityPermissionSchema = z.object({
  service_account_id: z.string(),
  owner_id: z.string(),
  name: z.string(),
  scopes: scopeGrantsSchema,
});

export type StatusResponse = z.infer<typeof statusResponseSchema>;
export type LoginResponse = z.infer<typeof loginResponseSchema>;
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export type SessionRecord = z.infer<typeof sessionRecordSchema>;
export type AdminSessionRecord = z.infer<typeof adminSessionRecordSchema>;
export type ProfileUpdated = z.infer<typeof profileUpdatedSchema>;
export type PasswordChanged = z.infer<typeof passwordChangedSchema>;
export type ApiTokenRecord = z.infer<typeof apiTokenRecordSchema>;
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;
export type AdminUser = z.infer<typeof adminUserSchema>;
export type ScopeCatalogResponse = z.infer<typeof scopeCatalogResponseSchema>;
export type TokenCheckResult = z.infer<typeof tokenCheckResultSchema>;
export type IdentityPermission = z.infer<typeof identityPermissionSchema>;
