import { describe, expect, it } from 'vitest';
import { eventTypes, subjectFilter } from '../src/index';
import { eventPublishers } from '../src/publishers';

const covers = (pattern: string, filter: string) => (pattern.endsWith('.>') ? filter.startsWith(pattern.slice(0, -1)) : pattern === filter);

describe('eventPublishers', () => {
  it('lets some service publish every event type of the catalogue (else the NATS server would refuse it)', () => {
    const orphans = eventTypes.filter(
      (type) => !Object.values(eventPublishers).some((patterns) => patterns.some((p) => covers(p, subjectFilter(type)))),
    );
    expect(orphans).toEqual([]);
  });

  it("gives each service's event family to that service alone; only notifications are shared", () => {
    const owners = new Map<string, string[]>();
    for (const [service, patterns] of Object.entries(eventPublishers)) {
      for (const pattern of patterns) owners.set(pattern, [...(owners.get(pattern) ?? []), service]);
    }
    const shared = [...owners].filter(([, services]) => services.length > 1).map(([pattern]) => pattern);
    expect(shared).toEqual(['notify.>']);
    expect(owners.get('auth.>')).toEqual(['auth']);
    for (const pattern of owners.keys()) expect(pattern).toMatch(/^[a-z]+\.>$/);
  });
});
