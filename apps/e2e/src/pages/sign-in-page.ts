import type { Locator, Page } from '@playwright/test';
import { openPage } from './open-page';

export class SignInPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.username = page.getByLabel('Username');
    this.password = page.getByLabel('Password');
    this.submit = page.getByRole('button', { name: /sign(ing)? in/i });
    this.error = page.getByRole('alert');
  }

  async goto(): Promise<void> {
    await openPage(this.page, '/sign-in', this.page.getByRole('heading', { name: 'Sign in' }));
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}
