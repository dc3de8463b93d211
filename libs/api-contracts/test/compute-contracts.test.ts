import { describe, expect, it } from 'vitest';
import {
  addSshKeyRequestSchema,
  computeLiveMessageSchema,
  createContainerRequestSchema,
  ingressRuleRequestSchema,
  sshAuthorizeRequestSchema,
  sshAuthorizeResponseSchema,
} from '../src';

describe('compute contracts', () => {
  it('fills create defaults and refuses bad names, policies and too many keys', () => {
    expect(createContainerRequestSchema.parse({ name: 'web' })).toEqual({
      name: 'web',
      instance_type: 'nano',
      ssh_key_ids: [],
      ssh_enabled: true,
      mount_paths: ['/root'],
      pull_policy: 'IfNotPresent',
    });
    for (const body of [
      {},
      { name: '-x' },
      { name: 'a b' },
      { name: 'a', pull_policy: 'Never' },
      { name: 'a', ssh_key_ids: Array(11).fill('k') },
    ]) {
      expect(createContainerRequestSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
  });

  it('bounds ports, keys and the gateway’s authorize call', () => {
    expect(ingressRuleRequestSchema.safeParse({ port: 8080, target_port: 0 }).success).toBe(false);
    expect(addSshKeyRequestSchema.safeParse({ name: ' ', public_key: 'x' }).success).toBe(false);
    const fingerprint = `SHA256:${'A'.repeat(43)}`;
    expect(sshAuthorizeRequestSchema.safeParse({ containerId: 'abc12345', login: 'root', fingerprint }).success).toBe(true);
    expect(sshAuthorizeRequestSchema.safeParse({ containerId: 'ABC12345', login: 'root', fingerprint }).success).toBe(false);
    expect(sshAuthorizeResponseSchema.safeParse({ allow: false, reason: 'no' }).success).toBe(true);
    expect(sshAuthorizeResponseSchema.safeParse({ allow: true, reason: 'no' }).success).toBe(false);
  });

  it('tells live messages apart by type', () => {
    const status = { type: 'container_status', data: { container_id: 'abc12345', status: 'deleted', ssh_enabled: true } };
    expect(computeLiveMessageSchema.parse(status)).toEqual(status);
    expect(
      computeLiveMessageSchema.safeParse({ type: 'container_status', data: { container_id: 'x', status: 'gone', ssh_enabled: true } })
        .success,
    ).toBe(false);
  });
});
