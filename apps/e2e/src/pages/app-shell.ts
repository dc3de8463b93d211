import type { Locator, Page } from '@playwright/test';

/** The signed-in layout: header with the user and sign-out, main navigation. */
export class AppShell {
  readonly nav: Locator;
  readonly signOut: Locator;
  readonly userName: Locator;
  readonly menuButton: Locator;
  readonly main: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.signOut = page.getByRole('button', { name: 'Sign out' });
    this.userName = page.getByTestId('current-user');
    this.menuButton = page.getByRole('button', { name: /menu/i });
    this.main = page.getByRole('main');
  }

  navLink(name: string): Locator {
    return this.nav.getByRole('link', { name, exact: true });
  }
}
