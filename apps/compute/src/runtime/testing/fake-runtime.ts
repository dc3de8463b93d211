import type { ContainerRuntime, ContainerSpec, RuntimeAvailability, RuntimePhase, RuntimeState, RuntimeUsage } from '../container-runtime';

/**
 * An in-process runtime double for tests of compute's decisions (reconciler, routes): it records what it was asked,
 * lets a test set phases and fire watch events, and can be told to fail. It runs nothing; the drivers have their own
 * contract suite against real sandboxes.
 */
export class FakeRuntime implements ContainerRuntime {
  readonly name = 'sandbox' as const;
  readonly applied: ContainerSpec[] = [];
  readonly stopped: string[] = [];
  readonly removed: string[] = [];
  readonly authorizedKeys = new Map<string, string[]>();
  readonly states = new Map<string, RuntimeState>();
  /** The phase `apply` leaves a container in. */
  phaseOnApply: RuntimePhase = 'running';
  /** When set, `apply` throws this. */
  applyError: Error | undefined;
  /** When true, `apply` never answers (a hung engine). */
  applyHangs = false;
  usageReport: RuntimeUsage = { memoryBytes: 64 * 1024 * 1024, storageBytes: 512 * 1024 * 1024 };
  availabilityReport: RuntimeAvailability = { available: true };
  private readonly listeners = new Set<(state: RuntimeState) => void>();
  private addresses = 0;

  availability(): Promise<RuntimeAvailability> {
    return Promise.resolve(this.availabilityReport);
  }

  apply(spec: ContainerSpec): Promise<RuntimeState> {
    this.applied.push(structuredClone(spec));
    if (this.applyError) return Promise.reject(this.applyError);
    if (this.applyHangs) return new Promise<RuntimeState>(() => undefined);
    const previous = this.states.get(spec.id);
    const address = previous?.address ?? `10.213.0.${(this.addresses += 1)}`;
    const state: RuntimeState = {
      id: spec.id,
      phase: this.phaseOnApply,
      restarts: previous?.restarts ?? 0,
      ...(this.phaseOnApply === 'running' ? { address } : {}),
    };
    this.states.set(spec.id, state);
    this.authorizedKeys.set(spec.id, [...spec.authorizedKeys]);
    return Promise.resolve({ ...state });
  }

  stop(id: string): Promise<RuntimeState> {
    this.stopped.push(id);
    const state: RuntimeState = { id, phase: this.states.has(id) ? 'stopped' : 'absent', restarts: this.states.get(id)?.restarts ?? 0 };
    if (this.states.has(id)) this.states.set(id, state);
    return Promise.resolve({ ...state });
  }

  remove(id: string): Promise<void> {
    this.removed.push(id);
    this.states.delete(id);
    this.authorizedKeys.delete(id);
    return Promise.resolve();
  }

  inspect(id: string): Promise<RuntimeState> {
    return Promise.resolve({ ...(this.states.get(id) ?? { id, phase: 'absent', restarts: 0 }) });
  }

  list(): Promise<RuntimeState[]> {
    return Promise.resolve([...this.states.values()].map((s) => ({ ...s })));
  }

  setAuthorizedKeys(id: string, lines: string[]): Promise<void> {
    if (this.states.get(id)?.phase !== 'running') return Promise.reject(new Error(`${id} is not running`));
    this.authorizedKeys.set(id, [...lines]);
    return Promise.resolve();
  }

  usage(): Promise<RuntimeUsage> {
    return Promise.resolve(this.usageReport);
  }

  async *logs(): AsyncIterable<string> {
    yield* [];
  }

  watch(onChange: (state: RuntimeState) => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  /** What a driver does when it notices a change by itself (a process died): sets the phase and tells the watchers. */
  report(id: string, phase: RuntimePhase, extra: Partial<RuntimeState> = {}): void {
    const previous = this.states.get(id);
    const state: RuntimeState = { id, phase, restarts: previous?.restarts ?? 0, ...extra };
    if (phase === 'running') state.address ??= previous?.address;
    this.states.set(id, state);
    for (const listener of this.listeners) listener({ ...state });
  }

  /** A container the runtime holds without a row (left by a crash between remove and delete). */
  plant(id: string): void {
    this.states.set(id, { id, phase: 'running', address: '10.213.9.9', restarts: 0 });
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
