import type { Locator, Page } from '@playwright/test';
import { openPage } from './open-page';

export class ServiceAccountsPage {
  readonly name: Locator;
  readonly service: Locator;
  readonly resource: Locator;
  readonly addScope: Locator;
  readonly create: Locator;

  constructor(readonly page: Page) {
    const form = page.getByRole('form', { name: 'Create a service account' });
    this.name = form.getByLabel('Service account name');
    this.service = form.getByLabel('Service', { exact: true });
    this.resource = form.getByLabel('Resource', { exact: true });
    this.addScope = form.getByRole('button', { name: 'Add scope' });
    this.create = form.getByRole('button', { name: 'Create service account' });
  }

  async goto(): Promise<void> {
    await openPage(this.page, '/settings/service-accounts', this.page.getByRole('heading', { name: 'Create a service account' }));
  }

  /** One account's card: its scopes, its tokens and their forms. */
  card(name: string): ServiceAccountCard {
    return new ServiceAccountCard(this.page.getByRole('listitem', { name: `Service account ${name}` }), name);
  }
}

export class ServiceAccountCard {
  readonly scopes: Locator;
  readonly tokenName: Locator;
  readonly createToken: Locator;
  readonly tokenValue: Locator;
  readonly done: Locator;
  readonly editScopes: Locator;
  readonly service: Locator;
  readonly addScope: Locator;
  readonly saveScopes: Locator;

  constructor(
    readonly root: Locator,
    readonly name: string,
  ) {
    this.scopes = root.getByRole('list', { name: 'Scopes' });
    this.tokenName = root.getByLabel('New token name');
    this.createToken = root.getByRole('button', { name: 'Create token' });
    this.tokenValue = root.getByLabel('Token value');
    this.done = root.getByRole('button', { name: 'Done, I stored it' });
    this.editScopes = root.getByRole('button', { name: `Edit scopes of ${name}` });
    this.service = root.getByLabel('Service', { exact: true });
    this.addScope = root.getByRole('button', { name: 'Add scope' });
    this.saveScopes = root.getByRole('button', { name: 'Save scopes' });
  }

  async delete(): Promise<void> {
    await this.root.getByRole('button', { name: `Delete service account ${this.name}` }).click();
    await this.root.getByRole('button', { name: 'Yes, delete' }).click();
  }
}
