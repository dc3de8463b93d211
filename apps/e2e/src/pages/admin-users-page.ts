import type { Locator, Page } from '@playwright/test';
import { openPage } from './open-page';

export class AdminUsersPage {
  readonly username: Locator;
  readonly displayName: Locator;
  readonly password: Locator;
  readonly create: Locator;
  readonly users: Locator;

  constructor(readonly page: Page) {
    const form = page.getByRole('form', { name: 'Create a user' });
    this.username = form.getByLabel('Username');
    this.displayName = form.getByLabel('Display name');
    this.password = form.getByLabel('Initial password');
    this.create = form.getByRole('button', { name: 'Create user' });
    this.users = page.getByRole('region', { name: 'Users', exact: true });
  }

  async goto(): Promise<void> {
    await openPage(this.page, '/admin', this.page.getByRole('heading', { name: 'Create a user' }));
  }

  row(username: string): Locator {
    return this.users.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: username, exact: true }) });
  }

  async deleteUser(username: string): Promise<void> {
    await this.row(username)
      .getByRole('button', { name: `Delete user ${username}` })
      .click();
    await this.row(username).getByRole('button', { name: 'Yes, delete' }).click();
  }
}
