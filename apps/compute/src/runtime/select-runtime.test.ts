import { expect, it } from 'vitest';
import { detectRuntimeName } from './select-runtime';

const laptop = { platform: 'linux' as const, kubernetesServiceHost: undefined, dockerSocket: false };

it('uses the runtime COMPUTE_RUNTIME names, whatever the host', () => {
  expect(detectRuntimeName('docker', laptop)).toBe('docker');
  expect(detectRuntimeName('sandbox', { ...laptop, kubernetesServiceHost: '10.0.0.1' })).toBe('sandbox');
});

it('detects kubernetes inside a cluster, the sandbox on Linux, docker elsewhere when a socket is there', () => {
  expect(detectRuntimeName(undefined, { ...laptop, kubernetesServiceHost: '10.0.0.1' })).toBe('kubernetes');
  expect(detectRuntimeName(undefined, { ...laptop, dockerSocket: true })).toBe('sandbox');
  expect(detectRuntimeName(undefined, { platform: 'darwin', kubernetesServiceHost: undefined, dockerSocket: true })).toBe('docker');
  // Nothing to run on: the sandbox, which then reports what is missing.
  expect(detectRuntimeName(undefined, { platform: 'darwin', kubernetesServiceHost: undefined, dockerSocket: false })).toBe('sandbox');
});
