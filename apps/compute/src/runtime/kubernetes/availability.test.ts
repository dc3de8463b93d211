import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKubernetesRuntime } from './kubernetes-runtime';

let saved: string | undefined;
beforeAll(() => {
  saved = process.env['KUBECONFIG'];
  // A kubeconfig whose API server cannot answer (port 1 refuses connections).
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  const file = join(dir, 'config');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]',
      'users: [{name: nobody, user: {token: "x"}}]',
      'contexts: [{name: nowhere, context: {cluster: nowhere, user: nobody}}]',
      'current-context: nowhere',
    ].join('\n'),
  );
  process.env['KUBECONFIG'] = file;
});
afterAll(() => {
  if (saved === undefined) delete process.env['KUBECONFIG'];
  else process.env['KUBECONFIG'] = saved;
});

it('reports a cluster that does not answer as unavailable, says why and what to do', async () => {
  const runtime = createKubernetesRuntime({ probeTimeoutMs: 2_000 });
  const availability = await runtime.availability();
  expect(availability.available).toBe(false);
  if (availability.available) return;
  expect(availability.reason).toMatch(/Kubernetes API/);
  // Node 20 cannot load client-node 2 at all (undici 8); a newer Node reaches the refused port.
  expect(availability.reason).toMatch(/needs Node >= 22.19|127\.0\.0\.1:1/);
  expect(availability.remedy).toMatch(/KUBECONFIG|Node >= 22.19/);
  await runtime.close();
});
