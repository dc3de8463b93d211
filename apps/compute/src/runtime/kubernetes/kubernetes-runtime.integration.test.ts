import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import type { RuntimeState } from '../container-runtime';
import { createKubernetesRuntime } from './kubernetes-runtime';
import { sampleSpec } from '../sample-container-spec';

// Runs only against a cluster KUBECONFIG names and that answers; otherwise says why it was skipped.
const runtime = createKubernetesRuntime({ computeIdentity: null, namespacePrefix: 'compute-it-' });
const availability = process.env['KUBECONFIG'] ? await runtime.availability() : undefined;
const skipReason = !process.env['KUBECONFIG']
  ? 'KUBECONFIG is not set'
  : availability && !availability.available
    ? availability.reason
    : undefined;
if (skipReason) console.log(`[skipped] kubernetes runtime integration test: ${skipReason}`);

function waitFor(phase: RuntimeState['phase'], id: string, timeoutMs: number): Promise<RuntimeState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ${phase} within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = runtime.watch((state) => {
      if (state.id !== id || state.phase !== phase) return;
      clearTimeout(timer);
      stop();
      resolve(state);
    });
  });
}

describe.skipIf(!!skipReason)('kubernetes runtime against a real cluster', () => {
  it('applies, runs, changes keys, stops and removes a container', { timeout: 300_000 }, async () => {
    const id = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
    const { private: privateKey, public: publicKey } = ssh2.utils.generateKeyPairSync('ed25519');
    const spec = sampleSpec({ id, image: process.env['COMPUTE_IT_IMAGE'] ?? '', hostKey: { privateKey, publicKey } });
    try {
      const running = waitFor('running', id, 240_000);
      const applied = await runtime.apply(spec);
      expect(['starting', 'running']).toContain(applied.phase);
      expect((await running).address).toBe(`container.compute-it-${id}.svc.cluster.local`);
      expect((await runtime.list()).map((s) => s.id)).toContain(id);
      await runtime.setAuthorizedKeys(id, ['ssh-ed25519 AAAAnew']);
      const stopped = await runtime.stop(id);
      expect(['stopped', 'running', 'starting']).toContain(stopped.phase);
      await waitFor('stopped', id, 60_000).catch(async () => expect((await runtime.inspect(id)).phase).toBe('stopped'));
    } finally {
      await runtime.remove(id);
      await runtime.close();
    }
    expect((await runtime.inspect(id)).phase).toBe('absent');
  });
});
