import type { V1Namespace, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { memoryQuantityBytes } from './kube-clients';
import { describeKubeError, unlessNotFound } from './kube-errors';
import { stateFromObjects } from './pod-state';

const namespace: V1Namespace = { metadata: { name: 'compute-a1b2c3d4' }, status: { phase: 'Active' } };
const address = 'container.compute-a1b2c3d4.svc.cluster.local';

function pod(status: V1Pod['status'], metadata: V1Pod['metadata'] = {}): V1Pod {
  return { metadata: { name: 'c-1', creationTimestamp: new Date('2026-01-01T00:00:00Z'), ...metadata }, status };
}
const ready = { type: 'Ready', status: 'True' };
const state = (pods: V1Pod[], ns: V1Namespace | undefined = namespace) => stateFromObjects('a1b2c3d4', ns, pods, address);

describe('phase mapping', () => {
  it('no namespace, or one being deleted → absent', () => {
    expect(stateFromObjects('a1b2c3d4', undefined, [], address)).toEqual({ id: 'a1b2c3d4', phase: 'absent', restarts: 0 });
    expect(state([], { ...namespace, status: { phase: 'Terminating' } }).phase).toBe('absent');
  });

  it('a namespace without a live pod → stopped (a stopped container keeps its volume)', () => {
    expect(state([]).phase).toBe('stopped');
    expect(state([pod({ phase: 'Running', conditions: [ready] }, { deletionTimestamp: new Date() })]).phase).toBe('stopped');
  });

  it('Pending → starting, with the scheduler’s reason when it cannot place the pod', () => {
    expect(state([pod({ phase: 'Pending' })])).toMatchObject({ phase: 'starting' });
    const unschedulable = pod({
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', message: '0/3 nodes: Insufficient memory' }],
    });
    expect(state([unschedulable])).toMatchObject({ phase: 'starting', message: '0/3 nodes: Insufficient memory' });
  });

  it('Running and Ready → running at the Service address; Running not ready → starting', () => {
    expect(state([pod({ phase: 'Running', conditions: [ready], containerStatuses: [cs(2)] })])).toEqual({
      id: 'a1b2c3d4',
      phase: 'running',
      address,
      restarts: 2,
    });
    expect(state([pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] })]).phase).toBe('starting');
  });

  it('a crash loop or an image pull error → failed with the reason', () => {
    const crashing = pod({
      phase: 'Running',
      containerStatuses: [cs(5, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } })],
    });
    expect(state([crashing])).toMatchObject({ phase: 'failed', restarts: 5, message: 'CrashLoopBackOff: back-off 40s' });
    const pulling = pod({ phase: 'Pending', containerStatuses: [cs(0, { waiting: { reason: 'ImagePullBackOff' } })] });
    expect(state([pulling])).toMatchObject({ phase: 'failed', message: 'ImagePullBackOff' });
  });

  it('a Failed pod (evicted) → failed with its message', () => {
    expect(state([pod({ phase: 'Failed', message: 'The node was low on resource: memory.' })])).toMatchObject({
      phase: 'failed',
      message: 'The node was low on resource: memory.',
    });
  });

  it('prefers the live pod over a terminating older one during a replacement', () => {
    const old = pod({ phase: 'Running', conditions: [ready] }, { name: 'c-old', deletionTimestamp: new Date() });
    const fresh = pod({ phase: 'Pending' }, { name: 'c-new', creationTimestamp: new Date('2026-01-02T00:00:00Z') });
    expect(state([old, fresh]).phase).toBe('starting');
  });
});

function cs(restartCount: number, state: NonNullable<NonNullable<V1Pod['status']>['containerStatuses']>[number]['state'] = {}) {
  return { name: 'main', image: 'x', imageID: '', ready: false, restartCount, state };
}

describe('small helpers', () => {
  it('reads metrics-server memory quantities', () => {
    expect(memoryQuantityBytes('2048Ki')).toBe(2 * 1024 * 1024);
    expect(memoryQuantityBytes('1Gi')).toBe(2 ** 30);
    expect(memoryQuantityBytes('1500')).toBe(1500);
    expect(memoryQuantityBytes('lots')).toBeUndefined();
  });

  it('treats a 404 as "missing" and every other failure as a failure', async () => {
    const apiError = (code: number) =>
      Object.assign(new Error(`HTTP ${code}`), { code, body: JSON.stringify({ message: `status ${code}` }) });
    await expect(unlessNotFound(Promise.reject(apiError(404)))).resolves.toBeUndefined();
    await expect(unlessNotFound(Promise.reject(apiError(403)))).rejects.toThrow('HTTP 403');
    expect(describeKubeError(apiError(409))).toBe('status 409');
    expect(describeKubeError(new Error('plain'))).toBe('plain');
  });
});
