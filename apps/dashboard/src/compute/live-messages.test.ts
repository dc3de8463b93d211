import type { Container } from '@edd/api-client';
import { describe, expect, it } from 'vitest';
import { applyStatusChange, newerContainer, newerContainers, parseComputeLiveMessage, withStatus } from './live-messages';

const container = (id: string, status: Container['status'] = 'pending'): Container => ({
  id,
  name: `box-${id}`,
  status,
  desired_state: 'running',
  status_message: null,
  restarts: 0,
  hostname: `${id}.compute.cloud.localhost`,
  ssh_command: `ssh -p 2222 ${id}@cloud.localhost`,
  instance_type: 'nano',
  cpu_millis: 500,
  memory_mb: 512,
  storage_gb: 5,
  image: 'base',
  pull_policy: 'IfNotPresent',
  ssh_enabled: true,
  https_enabled: false,
  mount_paths: ['/root'],
  ssh_key_ids: [],
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  version: 4,
});

describe('parseComputeLiveMessage', () => {
  it('reads the first list and status changes', () => {
    const list = parseComputeLiveMessage(JSON.stringify({ type: 'containers', data: [container('aaaa1111')] }));
    expect(list?.type).toBe('containers');
    const change = parseComputeLiveMessage(
      '{"type":"container_status","data":{"container_id":"aaaa1111","status":"running","ssh_enabled":true}}',
    );
    expect(change).toEqual({ type: 'container_status', data: { container_id: 'aaaa1111', status: 'running', ssh_enabled: true } });
  });

  it('ignores what it does not know', () => {
    expect(parseComputeLiveMessage('not json')).toBeUndefined();
    expect(parseComputeLiveMessage('{"type":"ping"}')).toBeUndefined();
    expect(parseComputeLiveMessage('{"type":"containers","data":{}}')).toBeUndefined();
    expect(parseComputeLiveMessage('{"type":"container_status","data":{"status":"running"}}')).toBeUndefined();
    expect(
      parseComputeLiveMessage(
        '{"type":"container_status","data":{"container_id":"a","status":"running","ssh_enabled":true,"version":"5"}}',
      ),
    ).toBeUndefined();
  });
});

describe('applyStatusChange', () => {
  const list = [container('aaaa1111'), container('bbbb2222', 'running')];

  it('updates the one container that changed', () => {
    const next = applyStatusChange(list, { container_id: 'aaaa1111', status: 'running', ssh_enabled: true });
    expect(next.map((c) => c.status)).toEqual(['running', 'running']);
    expect(list[0]?.status).toBe('pending');
  });

  it('removes a deleted container', () => {
    expect(applyStatusChange(list, { container_id: 'bbbb2222', status: 'deleted', ssh_enabled: true }).map((c) => c.id)).toEqual([
      'aaaa1111',
    ]);
  });

  it('drops the SSH command when SSH is turned off', () => {
    const next = withStatus(container('aaaa1111'), { container_id: 'aaaa1111', status: 'stopped', ssh_enabled: false });
    expect(next).toMatchObject({ status: 'stopped', ssh_enabled: false });
    expect(next.ssh_command).toBeUndefined();
  });

  it('ignores a change not newer than the version the page has, and takes the version of a newer one', () => {
    const late = { container_id: 'aaaa1111', status: 'stopped', ssh_enabled: true, version: 4 } as const;
    expect(applyStatusChange(list, late)).toEqual(list);
    expect(applyStatusChange(list, { ...late, status: 'deleted' })).toEqual(list);
    expect(withStatus(container('aaaa1111'), { ...late, version: 3 })).toEqual(container('aaaa1111'));
    const newer = applyStatusChange(list, { ...late, version: 5 });
    expect(newer[0]).toMatchObject({ status: 'stopped', version: 5 });
    // After it, the change it replaced cannot come back.
    expect(applyStatusChange(newer, { ...late, status: 'running', version: 4 })).toEqual(newer);
    // Servers that send no version: every change applies, as before.
    expect(applyStatusChange(list, { container_id: 'aaaa1111', status: 'failed', ssh_enabled: true })[0]?.status).toBe('failed');
  });
});

describe('a refetch that crossed a live change', () => {
  it('keeps what the page holds at a newer version, and takes the fetch otherwise', () => {
    const held = [{ ...container('aaaa1111', 'stopped'), version: 6 }, container('bbbb2222', 'running')];
    const fetched = [container('aaaa1111', 'running'), { ...container('bbbb2222', 'stopped'), version: 5 }, container('cccc3333')];
    const merged = newerContainers(held, fetched);
    expect(merged.map((c) => `${c.id}:${c.status}:${c.version}`)).toEqual([
      'aaaa1111:stopped:6',
      'bbbb2222:stopped:5',
      'cccc3333:pending:4',
    ]);
    // What the fetch no longer lists (deleted) is gone; with nothing held, the fetch stands.
    expect(newerContainers([container('dddd4444')], fetched).map((c) => c.id)).toEqual(['aaaa1111', 'bbbb2222', 'cccc3333']);
    expect(newerContainers(undefined, fetched)).toBe(fetched);
    expect(newerContainer(held[0], fetched[0] as Container)).toBe(held[0]);
    expect(newerContainer(container('aaaa1111', 'failed'), fetched[0] as Container)).toBe(fetched[0]);
  });
});
