import { z } from 'zod';
import { containerStatusSchema, desiredStateSchema, ingressProtocolSchema, pullPolicySchema } from './fields';

// Response bodies of the compute API (snake_case, as the service sends them). Timestamps are ISO 8601 strings.

export const containerSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Observed: pending, running, stopped, failed. */
  status: containerStatusSchema,
  /** Asked for: running, stopped (deleted containers are not listed). */
  desired_state: desiredStateSchema,
  /** Why it failed or is still pending. */
  status_message: z.string().nullable(),
  restarts: z.number().int(),
  /** `<id>.compute.<domain>`: ingress rules answer there. */
  hostname: z.string(),
  /** `ssh -p <port> <id>@<domain>`, only when SSH is enabled. */
  ssh_command: z.string().optional(),
  instance_type: z.string(),
  cpu_millis: z.number().int(),
  memory_mb: z.number().int(),
  storage_gb: z.number().int(),
  /** Only on `GET /compute/containers/{id}` of a running container. */
  memory_used_mb: z.number().optional(),
  storage_used_gb: z.number().optional(),
  image: z.string(),
  pull_policy: pullPolicySchema,
  ssh_enabled: z.boolean(),
  /** A 443 rule exists (TLS passthrough). */
  https_enabled: z.boolean(),
  mount_paths: z.array(z.string()),
  ssh_key_ids: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  /** Grows with every status or settings change, in commit order: `WS /compute/ws` changes carry it too. */
  version: z.number().int().nonnegative(),
});

export const containerListResponseSchema = z.object({ containers: z.array(containerSchema) });
/** `GET /compute/admin/containers`. */
export const adminContainerSchema = containerSchema.extend({ owner_id: z.string() });
export const adminContainerListResponseSchema = z.object({ containers: z.array(adminContainerSchema) });

export const ingressRuleSchema = z.object({
  port: z.number().int(),
  target_port: z.number().int(),
  protocol: ingressProtocolSchema,
  /** Where it answers: `http://<hostname>:<port>/` or `https://<hostname>/`. */
  url: z.string(),
  created_at: z.string(),
});
export const ingressRuleListResponseSchema = z.object({ rules: z.array(ingressRuleSchema) });

export const pullPolicyResponseSchema = z.object({ pull_policy: pullPolicySchema });
export const sshSettingResponseSchema = z.object({ ssh_enabled: z.boolean(), ssh_key_ids: z.array(z.string()) });
export const mountsResponseSchema = z.object({
  mount_paths: z.array(z.string()),
  /** A running container is restarted to apply new mounts. */
  restarted: z.boolean().optional(),
});

export const computeImageSchema = z.object({ name: z.string(), image: z.string(), source: z.enum(['builtin', 'registry']) });
/** `GET /compute/images`: the builtin image, and the prefix any other image must start with. */
export const computeImagesResponseSchema = z.object({ images: z.array(computeImageSchema), allowed_prefix: z.string() });

export const sshKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** `<type> <base64>` (the comment is not kept). */
  public_key: z.string(),
  type: z.string(),
  bits: z.number().int(),
  /** OpenSSH `SHA256:...`. */
  fingerprint: z.string(),
  created_at: z.string(),
});
export const sshKeyListResponseSchema = z.object({ ssh_keys: z.array(sshKeySchema) });

/** `WS /compute/ws` messages. */
export const containerStatusMessageSchema = z.object({
  container_id: z.string(),
  status: z.enum(['pending', 'running', 'stopped', 'failed', 'deleted']),
  ssh_enabled: z.boolean(),
  /** The container's version after this change: one not above the version a client holds is late, and ignored. */
  version: z.number().int().nonnegative().optional(),
});
export const computeLiveMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('containers'), data: z.array(containerSchema) }),
  z.object({ type: z.literal('container_status'), data: containerStatusMessageSchema }),
]);

/** `POST /internal/ssh/authorize`. */
export const sshAuthorizeResponseSchema = z.discriminatedUnion('allow', [
  z.object({ allow: z.literal(false), reason: z.string() }),
  z.object({
    allow: z.literal(true),
    /** Where the container's sshd answers. */
    address: z.string(),
    port: z.number().int(),
    /** The container's host key (`ssh-ed25519 ...`): pin it. */
    hostKey: z.string(),
    /** OpenSSH private key the container trusts; only ever sent on this internal call. */
    platformPrivateKey: z.string(),
    /** The account inside. */
    user: z.string(),
    ownerId: z.string(),
  }),
]);

export type Container = z.infer<typeof containerSchema>;
export type ContainerListResponse = z.infer<typeof containerListResponseSchema>;
export type AdminContainer = z.infer<typeof adminContainerSchema>;
export type AdminContainerListResponse = z.infer<typeof adminContainerListResponseSchema>;
export type IngressRule = z.infer<typeof ingressRuleSchema>;
export type IngressRuleListResponse = z.infer<typeof ingressRuleListResponseSchema>;
export type PullPolicyResponse = z.infer<typeof pullPolicyResponseSchema>;
export type SshSettingResponse = z.infer<typeof sshSettingResponseSchema>;
export type MountsResponse = z.infer<typeof mountsResponseSchema>;
export type ComputeImage = z.infer<typeof computeImageSchema>;
export type ComputeImagesResponse = z.infer<typeof computeImagesResponseSchema>;
export type SshKey = z.infer<typeof sshKeySchema>;
export type SshKeyListResponse = z.infer<typeof sshKeyListResponseSchema>;
export type ContainerStatusMessage = z.infer<typeof containerStatusMessageSchema>;
export type ComputeLiveMessage = z.infer<typeof computeLiveMessageSchema>;
export type SshAuthorizeResponse = z.infer<typeof sshAuthorizeResponseSchema>;
export type ContainerStatus = z.infer<typeof containerStatusSchema>;
export type DesiredState = z.infer<typeof desiredStateSchema>;
export type PullPolicy = z.infer<typeof pullPolicySchema>;
export type IngressProtocol = z.infer<typeof ingressProtocolSchema>;
