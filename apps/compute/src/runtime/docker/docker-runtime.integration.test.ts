import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { sampleSpec } from '../sample-container-spec';
import { createDockerRuntime } from './docker-runtime';

// Runs only where a Docker (or Podman Docker-API) engine answers, with COMPUTE_IT_IMAGE built from apps/compute/image.
const runtime = createDockerRuntime();
const availability = await runtime.availability();
const skipReason = !availability.available
  ? availability.reason
  : !process.env['COMPUTE_IT_IMAGE']
    ? 'COMPUTE_IT_IMAGE is not set'
    : undefined;
if (skipReason) console.log(`[skipped] docker runtime integration test: ${skipReason}`);

describe.skipIf(!!skipReason)('docker runtime against a real engine', () => {
  it('applies, runs, stops and removes a container', { timeout: 180_000 }, async () => {
    const id = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
    const { private: privateKey, public: publicKey } = ssh2.utils.generateKeyPairSync('ed25519');
    const spec = sampleSpec({ id, image: process.env['COMPUTE_IT_IMAGE'] ?? '', hostKey: { privateKey, publicKey } });
    try {
      await runtime.apply(spec);
      let state = await runtime.inspect(id);
      for (let i = 0; i < 60 && state.phase !== 'running'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        state = await runtime.inspect(id);
      }
      expect(state.phase).toBe('running');
      await runtime.setAuthorizedKeys(id, ['ssh-ed25519 AAAAnew']);
      expect((await runtime.stop(id)).phase).toBe('stopped');
    } finally {
      await runtime.remove(id);
      await runtime.close();
    }
    expect((await runtime.inspect(id)).phase).toBe('absent');
  });
});
