import type { NatsConnection } from '@nats-io/transport-node';
import { eventCatalog } from '@edd/event-contracts';
import type { EventType, StreamName } from '@edd/event-contracts';
import { EventValidationError } from '@edd/event-contracts';
import { coveringFilter, subjectFilter } from '@edd/event-contracts';

/**
 * A JetStream consumer belongs to one stream, so a request spanning types of several streams becomes one
 * consumer per stream. Returns the requested types grouped by stream (duplicates removed).
 */
export function groupByStream<T extends EventType>(types: readonly T[]): Map<StreamName, T[]> {
  if (types.length === 0) throw new EventValidationError('at least one event type is required');
  const groups = new Map<StreamName, T[]>();
  for (const type of new Set(types)) {
    const def = eventCatalog[type];
    if (!def) throw new EventValidationError(`unknown event type "${String(type)}"`);
    const group = groups.get(def.stream) ?? [];
    group.push(type);
    groups.set(def.stream, group);
  }
  return groups;
}

/** Servers from 2.10 accept several filter subjects per consumer; older ones only one. */
export function supportsMultipleFilters(nc: NatsConnection): boolean {
  const [major = 0, minor = 0] = (nc.info?.version ?? '0.0.0').split('.').map((part) => Number.parseInt(part, 10));
  return major > 2 || (major === 2 && minor >= 10);
}

/**
 * The consumer filter for a group of types: exact per-type filters when the server takes several,
 * otherwise one covering filter (the consumer acks and skips the extra subjects it then receives).
 */
export function consumerFilter(types: readonly EventType[], multipleFilters: boolean): string | string[] {
  const filters = types.map(subjectFilter);
  if (filters.length === 1) return filters[0] as string;
  return multipleFilters ? filters : coveringFilter(filters);
}
