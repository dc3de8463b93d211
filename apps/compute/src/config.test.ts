import { describe, expect, it } from 'vitest';
import { DEV_KEY_ENCRYPTION_SECRET, imagePrefixOf, loadComputeConfig, sealerOf } from './config';
import { createSealer } from './crypto/sealing';

describe('compute configuration', () => {
  it('has the documented defaults', () => {
    const config = loadComputeConfig({});
    expect(config).toMatchObject({
      PORT: 4003,
      COMPUTE_MAX_CONTAINERS: 3,
      COMPUTE_SSH_PORT: 2222,
      COMPUTE_DATA_DIR: '.data/compute',
      COMPUTE_SANDBOX_SUBNET: '10.213.0.0/16',
      COMPUTE_SANDBOX_BRIDGE: 'eddc0',
    });
    expect(config.COMPUTE_RUNTIME).toBeUndefined();
    expect(imagePrefixOf(config)).toBe('registry.cloud.localhost/');
  });

  it('refuses production without a sealing secret, naming it', () => {
    expect(() => loadComputeConfig({ NODE_ENV: 'production', SERVICE_API_KEY: 'a-real-service-key' })).toThrow(
      /COMPUTE_KEY_ENCRYPTION_SECRET: must be set in production/,
    );
    const config = loadComputeConfig({
      NODE_ENV: 'production',
      SERVICE_API_KEY: 'a-real-service-key',
      COMPUTE_KEY_ENCRYPTION_SECRET: 'production-secret-0123',
    });
    expect(config.COMPUTE_KEY_ENCRYPTION_SECRET).toBe('production-secret-0123');
  });

  it('seals with the development secret only when none is set', () => {
    const dev = sealerOf(loadComputeConfig({})).seal('x', 'c');
    expect(createSealer(DEV_KEY_ENCRYPTION_SECRET).open(dev, 'c')).toBe('x');
    const own = sealerOf(loadComputeConfig({ COMPUTE_KEY_ENCRYPTION_SECRET: 'my-own-secret-0123' })).seal('x', 'c');
    expect(() => createSealer(DEV_KEY_ENCRYPTION_SECRET).open(own, 'c')).toThrow();
  });

  it('refuses a bad runtime name, subnet or bridge name', () => {
    expect(() => loadComputeConfig({ COMPUTE_RUNTIME: 'lxc' })).toThrow(/COMPUTE_RUNTIME/);
    expect(() => loadComputeConfig({ COMPUTE_SANDBOX_SUBNET: '10.213.0.0' })).toThrow(/COMPUTE_SANDBOX_SUBNET/);
    for (const bridge of ['a-name-too-long-0', 'br 0', 'br/0', 'br:0'])
      expect(() => loadComputeConfig({ COMPUTE_SANDBOX_BRIDGE: bridge }), bridge).toThrow(/COMPUTE_SANDBOX_BRIDGE/);
    expect(loadComputeConfig({ COMPUTE_SANDBOX_BRIDGE: 'eddc-test.1' }).COMPUTE_SANDBOX_BRIDGE).toBe('eddc-test.1');
  });
});
