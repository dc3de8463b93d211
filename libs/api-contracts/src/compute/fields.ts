import { z } from 'zod';

// Field rules of the compute API, shared by the server's validation and the clients' types.

/** Container ids: 8 lowercase letters and digits (also the hostname `<id>.compute.<domain>`, a DNS label). */
export const CONTAINER_ID_PATTERN = /^[a-z0-9]{8}$/;
export const CONTAINER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const PULL_POLICIES = ['IfNotPresent', 'Always'] as const;
/** What the user asked for. */
export const DESIRED_STATES = ['running', 'stopped', 'deleted'] as const;
/** What the runtime was last seen doing. */
export const CONTAINER_STATUSES = ['pending', 'running', 'stopped', 'failed'] as const;
export const INGRESS_PROTOCOLS = ['http', 'tls'] as const;
export const SSH_KEY_MAX_LENGTH = 8192;

export const containerIdSchema = z.string().regex(CONTAINER_ID_PATTERN, 'a container id is 8 characters of a-z and 0-9');
export const containerNameSchema = z
  .string({ error: 'name is required' })
  .regex(CONTAINER_NAME_PATTERN, 'name must start with a letter or digit and contain only A-Z, a-z, 0-9, ".", "_" and "-" (at most 63)');
export const pullPolicySchema = z.enum(PULL_POLICIES, { error: 'pull_policy must be IfNotPresent or Always' });
export const containerStatusSchema = z.enum(CONTAINER_STATUSES);
export const desiredStateSchema = z.enum(DESIRED_STATES);
export const ingressProtocolSchema = z.enum(INGRESS_PROTOCOLS);
export const portSchema = z.number({ error: 'a port is a number' }).int().min(1).max(65535);
export const mountPathsSchema = z.array(z.string().min(1).max(256)).max(32);
export const sshKeyIdSchema = z.string().min(1).max(64);
