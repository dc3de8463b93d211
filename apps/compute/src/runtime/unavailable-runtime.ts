import type { ContainerRuntime, RuntimeName, RuntimeState } from './container-runtime';

/**
 * A runtime that runs nothing and says why: compute keeps serving its API (containers show `failed` with this
 * message, and /readyz details say the same) until a driver is wired in.
 */
export function unavailableRuntime(name: RuntimeName, reason: string, remedy: string): ContainerRuntime {
  const refuse = (): never => {
    throw new Error(`no container runtime: ${reason}. ${remedy}`);
  };
  const absent = (id: string): RuntimeState => ({ id, phase: 'absent', restarts: 0 });
  return {
    name,
    availability: () => Promise.resolve({ available: false, reason, remedy }),
    apply: () => Promise.reject(new Error(`no container runtime: ${reason}. ${remedy}`)),
    // Nothing runs, so stopping and removing are already done.
    stop: (id) => Promise.resolve({ ...absent(id), phase: 'absent' }),
    remove: () => Promise.resolve(),
    inspect: (id) => Promise.resolve(absent(id)),
    list: () => Promise.resolve([]),
    setAuthorizedKeys: () => Promise.resolve(refuse()),
    usage: () => Promise.resolve({}),
    logs: () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error(`no container runtime: ${reason}`)) }),
    }),
    watch: () => () => undefined,
    close: () => Promise.resolve(),
  };
}
