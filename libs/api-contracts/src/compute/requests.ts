import { z } from 'zod';
import {
  containerIdSchema,
  containerNameSchema,
  mountPathsSchema,
  portSchema,
  pullPolicySchema,
  SSH_KEY_MAX_LENGTH,
  sshKeyIdSchema,
} from './fields';

// Request bodies of the compute API. The server parses with these; clients send `z.input` of them. Limits that depend
// on the configuration (instance bounds, image prefix, containers per user) are checked by the server.

/** `POST /compute/containers`. */
export const createContainerRequestSchema = z.object({
  name: containerNameSchema,
  instance_type: z.string().min(1).max(32).default('nano'),
  /** Default: the instance type's. */
  memory_mb: z.number().int().positive().optional(),
  storage_gb: z.number().int().positive().optional(),
  /** Keys (of the caller) the container trusts for SSH. */
  ssh_key_ids: z.array(sshKeyIdSchema).max(10, 'at most 10 keys per container').default([]),
  ssh_enabled: z.boolean().default(true),
  mount_paths: mountPathsSchema.default(['/root']),
  /** Default: the platform's base image. */
  image: z.string().min(1).max(512).optional(),
  pull_policy: pullPolicySchema.default('IfNotPresent'),
});

/** `PUT /compute/containers/{id}/pull-policy`. */
export const pullPolicyRequestSchema = z.object({ pull_policy: pullPolicySchema });
/** `PUT /compute/containers/{id}/ssh`: SSH on/off and, optionally, exactly which of the owner's keys it trusts. */
export const sshSettingRequestSchema = z.object({
  ssh_enabled: z.boolean({ error: 'ssh_enabled must be true or false' }),
  ssh_key_ids: z.array(sshKeyIdSchema).max(10, 'at most 10 keys per container').optional(),
});
/** `PUT /compute/containers/{id}/mounts`. */
export const mountsRequestSchema = z.object({ mount_paths: mountPathsSchema });
/** `POST /compute/containers/{id}/ingress`: `target_port` defaults to `port`; 443 is TLS passthrough, others HTTP. */
export const ingressRuleRequestSchema = z.object({ port: portSchema, target_port: portSchema.optional() });

/** `POST /compute/ssh-keys`. */
export const addSshKeyRequestSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(100),
  public_key: z.string().min(1, 'public_key is required').max(SSH_KEY_MAX_LENGTH),
});

/** `POST /internal/ssh/authorize` (the gateway, X-Service-Key). */
export const sshAuthorizeRequestSchema = z.object({
  containerId: containerIdSchema,
  /** `root`, or the name of the container's owner (both log in as root inside). */
  login: z.string().min(1).max(64),
  /** The client key's `SHA256:` fingerprint, as the gateway computed it. */
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'an OpenSSH SHA256 fingerprint'),
});

export type CreateContainerRequest = z.input<typeof createContainerRequestSchema>;
export type PullPolicyRequest = z.input<typeof pullPolicyRequestSchema>;
export type SshSettingRequest = z.input<typeof sshSettingRequestSchema>;
export type MountsRequest = z.input<typeof mountsRequestSchema>;
export type IngressRuleRequest = z.input<typeof ingressRuleRequestSchema>;
export type AddSshKeyRequest = z.input<typeof addSshKeyRequestSchema>;
export type SshAuthorizeRequest = z.input<typeof sshAuthorizeRequestSchema>;
