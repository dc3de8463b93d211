import type { ComputeLiveMessage } from '@edd/api-contracts';
import { describe, expect, it } from 'vitest';
import { ContainerSubscriber } from './container-sockets';

type Status = Extract<ComputeLiveMessage, { type: 'container_status' }>['data']['status'];

const change = (id: string, status: Status, version?: number): Extract<ComputeLiveMessage, { type: 'container_status' }> => ({
  type: 'container_status',
  data: { container_id: id, status, ssh_enabled: true, ...(version === undefined ? {} : { version }) },
});

function subscriber(): { sub: ContainerSubscriber; sent: ComputeLiveMessage[] } {
  const sent: ComputeLiveMessage[] = [];
  return { sub: new ContainerSubscriber({ send: (message) => sent.push(message) }), sent };
}

const shown = (sent: ComputeLiveMessage[]) =>
  sent.map((m) => (m.type === 'container_status' ? `${m.data.container_id}:${m.data.status}` : m.type));

describe('ContainerSubscriber', () => {
  it('holds the changes that arrive while the list is read, then sends those newer than the list, the newest per container', () => {
    const { sub, sent } = subscriber();
    sub.send(change('a', 'running', 3));
    sub.send(change('a', 'stopped', 5));
    sub.send(change('a', 'running', 4)); // older than the held 5: dropped
    sub.send(change('b', 'running', 2)); // the list already has b at 2
    sub.send(change('c', 'pending', 1)); // created after the list was read
    expect(sent).toEqual([]);
    sub.listSent([
      { id: 'a', version: 4 },
      { id: 'b', version: 2 },
    ]);
    expect(shown(sent)).toEqual(['a:stopped', 'c:pending']);
  });

  it('after the list, sends a container’s changes only in version order, and unversioned changes always', () => {
    const { sub, sent } = subscriber();
    sub.listSent([{ id: 'a', version: 7 }]);
    sub.send(change('a', 'stopped', 7));
    sub.send(change('a', 'failed', 9));
    sub.send(change('a', 'running', 8));
    sub.send(change('a', 'deleted', 10));
    sub.send(change('a', 'running'));
    expect(shown(sent)).toEqual(['a:failed', 'a:deleted', 'a:running']);
  });
});
