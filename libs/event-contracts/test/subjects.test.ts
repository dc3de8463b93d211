import { describe, expect, it } from 'vitest';
import { EventValidationError } from '../src/errors';
import { buildSubject, coveringFilter, subjectMatches, subjectToken } from '../src/subjects';

describe('subject builders', () => {
  it('build concrete subjects from ids', () => {
    expect(buildSubject('auth.user.created', { userId: 'u1' })).toBe('auth.user.u1.created');
    expect(buildSubject('compute.sshkey.removed', { userId: 'u9' })).toBe('compute.sshkey.u9.removed');
    expect(buildSubject('notify', { userId: 'AbC_12-x' })).toBe('notify.AbC_12-x');
    expect(buildSubject('cluster.pods', {})).toBe('cluster.pods');
  });

  it.each(['', 'a.b', 'a*', '>', 'a>b', 'a b', 'tab\there', 'line\nbreak', ' '])('reject the id %j', (bad) => {
    expect(() => subjectToken(bad)).toThrow(EventValidationError);
    expect(() => buildSubject('auth.session.invalidated', { sessionId: bad })).toThrow(EventValidationError);
  });

  it('name the offending field', () => {
    expect(() => buildSubject('log.error', { source: 'a.b' })).toThrow(/source/u);
  });
});

describe('subjectMatches', () => {
  it('follows NATS wildcard rules', () => {
    expect(subjectMatches('auth.>', 'auth.user.u1.created')).toBe(true);
    expect(subjectMatches('auth.>', 'auth')).toBe(false);
    expect(subjectMatches('auth.user.*.created', 'auth.user.u1.created')).toBe(true);
    expect(subjectMatches('auth.user.*.created', 'auth.user.u1.deleted')).toBe(false);
    expect(subjectMatches('auth.user.*.created', 'auth.user.u1.created.x')).toBe(false);
    expect(subjectMatches('cluster.metrics', 'cluster.metrics')).toBe(true);
    expect(subjectMatches('cluster.metrics', 'cluster.pods')).toBe(false);
  });
});

describe('coveringFilter (servers without multiple filter subjects)', () => {
  it('keeps a single filter', () => {
    expect(coveringFilter(['auth.user.*.created'])).toBe('auth.user.*.created');
  });
  it('merges equal-length filters token by token', () => {
    expect(coveringFilter(['auth.user.*.created', 'auth.user.*.deleted'])).toBe('auth.user.*.*');
    expect(coveringFilter(['cluster.metrics', 'cluster.pods'])).toBe('cluster.*');
  });
  it('falls back to the common prefix for different lengths', () => {
    expect(coveringFilter(['auth.user.*.created', 'auth.x'])).toBe('auth.>');
    expect(coveringFilter(['a.b', 'a.b.c'])).toBe('a.>');
  });
  it('always covers its inputs', () => {
    const filters = ['compute.container.*.created', 'compute.sshkey.*.added', 'compute.container.*.deleted'];
    const cover = coveringFilter(filters);
    for (const subject of ['compute.container.c1.created', 'compute.sshkey.u1.added', 'compute.container.c1.deleted']) {
      expect(subjectMatches(cover, subject)).toBe(true);
    }
  });
});
