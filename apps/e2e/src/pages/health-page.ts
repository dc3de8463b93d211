import type { Locator, Page } from '@playwright/test';

/** The Health section: node cards with gauges, history charts with a range picker, containers and alerts. */
export class HealthPage {
  readonly heading: Locator;
  readonly nodeCards: Locator;
  readonly feed: Locator;
  readonly charts: Locator;
  readonly alertsPanel: Locator;
  readonly containersPanel: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Health', exact: true });
    this.nodeCards = page.getByTestId('node-card');
    this.feed = page.getByTestId('health-feed');
    this.charts = page.getByTestId('series-chart');
    this.alertsPanel = page.getByRole('region', { name: 'Alerts' });
    this.containersPanel = page.getByRole('region', { name: 'Your containers' });
  }

  goto() {
    return this.page.goto('/health');
  }

  gauge(card: Locator, name: 'CPU' | 'Memory' | 'Disk'): Locator {
    return card.getByRole('meter', { name });
  }

  range(label: '1 h' | '6 h' | '24 h' | '7 d'): Locator {
    return this.page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: label });
  }
}
