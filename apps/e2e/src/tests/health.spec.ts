import { HealthPage } from '../pages/health-page';
import { expect, snap, test } from '../support/fixtures';

// The dashboard's Health section against the health service's host source, through the gateway (issue 12).

test('the Health page shows this machine as a node whose figures change', async ({ page }, testInfo) => {
  const health = new HealthPage(page);
  await health.goto();
  await expect(health.heading).toBeVisible();
  await expect(health.feed).toHaveText('Live: updated every 5 s');
  await expect(health.nodeCards).toHaveCount(1);
  const node = health.nodeCards.first();
  for (const name of ['CPU', 'Memory', 'Disk'] as const) {
    const value = Number(await health.gauge(node, name).getAttribute('aria-valuenow'));
    expect(value, name).toBeGreaterThanOrEqual(0);
    expect(value, name).toBeLessThanOrEqual(100);
  }
  expect(Number(await health.gauge(node, 'Memory').getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await expect(node.getByText(/of \d+(\.\d+)? cores/)).toBeVisible();

  // A new sample arrives over the live socket every 5 s: the sampled figures (and their time) change.
  const figures = async () =>
    [
      await node.getByTestId('gauge-cpu-value').textContent(),
      await node.getByTestId('gauge-memory-value').textContent(),
      await node.getByTestId('gauge-disk-value').textContent(),
      await node.getByText(/Load /).textContent(),
    ].join('|');
  const before = await figures();
  await expect.poll(figures, { timeout: 20_000 }).not.toBe(before);
  await snap(page, testInfo, 'health-nodes');

  // History: the last hour in raw samples; the range picker asks for the other windows.
  await expect(health.charts.first()).toBeVisible();
  await expect(health.charts.first().locator('canvas')).toHaveCount(1);
  await health.range('24 h').click();
  await expect(health.range('24 h')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText('Resolution: 5m averages')).toBeVisible();
  await health.range('7 d').click();
  await expect(page.getByText('Resolution: 15m averages')).toBeVisible();

  await expect(health.containersPanel).toBeVisible();
  await expect(health.alertsPanel).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await snap(page, testInfo, 'health-history');
});
