import { describe, expect, it } from 'vitest';
import { parseNotificationFrame } from './notification-frames';

const notification = {
  id: 7,
  user_id: 'u1',
  title: 'Container ready',
  message: 'web is running.',
  link: '/compute/containers/c1',
  category: 'compute',
  scope: '',
  read: false,
  created_at: '2026-12-02T07:00:00.000Z',
};

describe('parseNotificationFrame', () => {
  it('reads notification and changed frames', () => {
    expect(parseNotificationFrame(JSON.stringify({ type: 'notification', notification }))).toEqual({ type: 'notification', notification });
    expect(parseNotificationFrame('{"type":"changed"}')).toEqual({ type: 'changed' });
  });

  it('ignores anything else', () => {
    for (const data of ['nope', '{"type":"notification"}', '{"type":"other"}', new ArrayBuffer(2), 42]) {
      expect(parseNotificationFrame(data)).toBeUndefined();
    }
  });
});
