import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { BACKLOG_METRIC, registerBacklogGauge } from '../src/backlog-gauge';

it('reads the backlog at each scrape, and registers once however often a relay starts', async () => {
  const registry = new Registry();
  let unsent = 3;
  registerBacklogGauge(registry, async () => unsent);
  registerBacklogGauge(registry, async () => 99);
  expect(await registry.getSingleMetricAsString(BACKLOG_METRIC)).toContain(`${BACKLOG_METRIC} 3`);
  unsent = 0;
  expect(await registry.getSingleMetricAsString(BACKLOG_METRIC)).toContain(`${BACKLOG_METRIC} 0`);
});
