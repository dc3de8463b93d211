import type { Locator, Page } from '@playwright/test';
import { openPage } from './open-page';

export class ApiTokensPage {
  readonly name: Locator;
  readonly expires: Locator;
  readonly service: Locator;
  readonly resource: Locator;
  readonly resourceId: Locator;
  readonly addScope: Locator;
  readonly create: Locator;
  readonly tokenValue: Locator;
  readonly done: Locator;
  readonly tokenList: Locator;
  readonly chosenScopes: Locator;

  constructor(readonly page: Page) {
    const form = page.getByRole('form', { name: 'Create an API token' });
    this.name = form.getByLabel('Token name');
    this.expires = form.getByLabel('Expires');
    this.service = form.getByLabel('Service', { exact: true });
    this.resource = form.getByLabel('Resource', { exact: true });
    this.resourceId = form.getByLabel('Resource ID (optional)');
    this.addScope = form.getByRole('button', { name: 'Add scope' });
    this.chosenScopes = form.getByRole('list', { name: 'Chosen scopes' });
    this.create = form.getByRole('button', { name: 'Create token' });
    this.tokenValue = page.getByLabel('Token value');
    this.done = page.getByRole('button', { name: 'Done, I stored it' });
    this.tokenList = page.getByRole('region', { name: 'Your API tokens', exact: true });
  }

  async goto(): Promise<void> {
    await openPage(this.page, '/settings/tokens', this.page.getByRole('heading', { name: 'Create an API token' }));
  }

  row(tokenName: string): Locator {
    return this.tokenList.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: tokenName, exact: true }) });
  }

  async revoke(tokenName: string): Promise<void> {
    await this.row(tokenName)
      .getByRole('button', { name: `Revoke token ${tokenName}` })
      .click();
    await this.row(tokenName).getByRole('button', { name: 'Yes, revoke' }).click();
  }
}
