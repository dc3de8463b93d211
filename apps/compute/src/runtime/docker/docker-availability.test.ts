import { expect, it } from 'vitest';
import { createDockerRuntime } from './docker-runtime';

it('reports no engine at a socket path that does not exist as unavailable, with what to do', async () => {
  const runtime = createDockerRuntime({ socketPath: '/nonexistent/docker.sock', probeTimeoutMs: 1_000 });
  const availability = await runtime.availability();
  expect(availability).toMatchObject({ available: false });
  if (availability.available) return;
  expect(availability.reason).toContain('/nonexistent/docker.sock');
  expect(availability.remedy).toMatch(/COMPUTE_RUNTIME=sandbox/);
  await runtime.close();
});
