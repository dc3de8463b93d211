import { describe, expect, it } from 'vitest';
import { eventCatalog, eventTypes } from '../src/catalog';
import type { EventType } from '../src/catalog';
import { eventStreams } from '../src/streams';
import { buildSubject, eventTypeOfSubject, subjectFilter, subjectMatches } from '../src/subjects';
import { samplePayload } from '../src/samples';

const LITERAL_TOKEN = /^[a-z][a-z0-9_-]*$/u;
const PLACEHOLDER = /^\{[a-z][a-zA-Z0-9]*\}$/u;

describe.each(eventTypes.map((type) => [type] as [EventType]))('catalogue entry %s', (type) => {
  const def = eventCatalog[type];
  const tokens = def.subject.split('.');

  it('has a lowercase, dot-separated subject whose literal tokens spell the event type', () => {
    for (const token of tokens) expect(token).toMatch(new RegExp(`${LITERAL_TOKEN.source}|${PLACEHOLDER.source}`, 'u'));
    expect(tokens.filter((t) => !t.startsWith('{')).join('.')).toBe(type);
  });

  it('only uses payload fields as placeholders', () => {
    const shape = (def.schema as unknown as { shape: Record<string, unknown> }).shape;
    for (const token of tokens.filter((t) => t.startsWith('{'))) expect(shape).toHaveProperty(token.slice(1, -1));
  });

  it('builds a subject stored by its own stream and recognised as exactly this type', () => {
    const subject = buildSubject(type, samplePayload(type, 'abc-123') as never);
    expect(subject).not.toMatch(/[{}*>\s]/u);
    expect(subjectMatches(eventStreams[def.stream], subject)).toBe(true);
    const others = Object.entries(eventStreams).filter(([name]) => name !== def.stream);
    expect(others.some(([, filter]) => subjectMatches(filter, subject))).toBe(false);
    expect(eventTypes.filter((t) => subjectMatches(subjectFilter(t), subject))).toEqual([type]);
    expect(eventTypeOfSubject(subject)).toBe(type);
  });

  it('has a schema that accepts the sample and rejects an empty object', () => {
    expect(def.schema.safeParse(samplePayload(type, 'abc-123')).success).toBe(true);
    expect(def.schema.safeParse({}).success).toBe(false);
  });
});

describe('wildcard filters', () => {
  it('replace ids by *', () => {
    expect(subjectFilter('auth.session.invalidated')).toBe('auth.session.*.invalidated');
    expect(subjectFilter('notify')).toBe('notify.*');
    expect(subjectFilter('cluster.metrics')).toBe('cluster.metrics');
    expect(subjectFilter('log.error')).toBe('log.error.*');
  });
});

describe('payload schemas', () => {
  it('reject wrong types, unknown enum values and bad ports', () => {
    const { schema: user } = eventCatalog['auth.user.created'];
    expect(user.safeParse({ userId: 'u1', username: 'a', displayName: 'A', isAdmin: 'yes' }).success).toBe(false);
    const { schema: invalidated } = eventCatalog['auth.session.invalidated'];
    expect(invalidated.safeParse({ sessionId: 's', userId: 'u', reason: 'bored' }).success).toBe(false);
    const { schema: container } = eventCatalog['compute.container.created'];
    const bad = {
      ...samplePayload('compute.container.created', 'c1'),
      ingress: [{ externalPort: 70000, targetPort: 80, protocol: 'http' }],
    };
    expect(container.safeParse(bad).success).toBe(false);
    const { schema: session } = eventCatalog['auth.session.created'];
    expect(session.safeParse({ sessionId: 's', userId: 'u', expiresAt: 'tomorrow' }).success).toBe(false);
  });
});
