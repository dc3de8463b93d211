import type { Locator, Page } from '@playwright/test';
import { openPage } from './open-page';

export class ProfilePage {
  readonly displayName: Locator;
  readonly save: Locator;
  readonly saved: Locator;

  constructor(readonly page: Page) {
    this.displayName = page.getByLabel('Display name');
    this.save = page.getByRole('button', { name: 'Save display name' });
    this.saved = page.getByRole('status').filter({ hasText: 'Display name saved.' });
  }

  async goto(): Promise<void> {
    await openPage(this.page, '/settings', this.page.getByRole('heading', { name: 'Profile' }));
  }
}
