import { describe, expect, it } from 'vitest';
import { liveSubject, userOfLiveSubject } from './live-messages';

describe('live subjects', () => {
  it('gives back the user a subject was made for', () => {
    expect(userOfLiveSubject('live.notifications', liveSubject('live.notifications', 'u-42'))).toBe('u-42');
    expect(userOfLiveSubject('live.notifications.t1', liveSubject('live.notifications.t1', 'alice'))).toBe('alice');
  });

  it('names no user for another channel or a subject that is not one token under it', () => {
    expect(userOfLiveSubject('live.notifications', 'live.other.u1')).toBeUndefined();
    expect(userOfLiveSubject('live.notifications', 'live.notificationsX.u1')).toBeUndefined();
    expect(userOfLiveSubject('live.notifications', 'live.notifications.')).toBeUndefined();
    expect(userOfLiveSubject('live.notifications', 'live.notifications.a.b')).toBeUndefined();
    expect(userOfLiveSubject('live.notifications', 'live.notifications')).toBeUndefined();
  });
});
