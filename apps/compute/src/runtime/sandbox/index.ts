export { createSandboxRuntime, DEFAULT_SANDBOX_BRIDGE, DEFAULT_SANDBOX_SUBNET } from './sandbox-runtime';
export type { SandboxRuntimeOptions } from './sandbox-runtime';
