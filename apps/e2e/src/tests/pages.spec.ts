import { AppShell } from '../pages/app-shell';
import { ServiceAccountsPage } from '../pages/service-accounts-page';
import { expect, snap, test } from '../support/fixtures';

// Every screen renders through the gateway; each one is kept as a screenshot artefact. Storage's and Compute's screens
// are in storage.spec.ts and compute.spec.ts, Health's in health.spec.ts (they need their services).
const screens = [
  { path: '/', heading: /^Welcome, / },
  { path: '/notifications', heading: 'Notifications' },
  { path: '/settings', heading: 'Profile' },
  { path: '/settings/sessions', heading: 'Active sessions' },
  { path: '/settings/tokens', heading: 'Your API tokens' },
  { path: '/settings/service-accounts', heading: 'Your service accounts' },
  { path: '/admin', heading: 'Users' },
  { path: '/admin/sessions', heading: 'Active sessions' },
  { path: '/no/such/page', heading: 'Page not found' },
];

for (const screen of screens) {
  test(`page ${screen.path}`, async ({ page }, testInfo) => {
    await page.goto(screen.path);
    await expect(page.getByRole('heading', { name: screen.heading, exact: typeof screen.heading === 'string' })).toBeVisible();
    await expect(page.getByRole('status')).toHaveCount(0); // nothing still loading
    await expect(page.getByRole('alert')).toHaveCount(0); // and nothing failed
    await snap(page, testInfo, `page${screen.path.replace(/\//g, '-')}`.replace(/-$/, '-overview'));
  });
}

test('the navigation works on a phone-sized screen', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const shell = new AppShell(page);
  await expect(shell.nav).toBeHidden();
  await shell.menuButton.click();
  await expect(shell.nav).toBeVisible();
  await snap(page, testInfo, 'phone-menu-open');
  await shell.navLink('Settings').click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(shell.nav).toBeHidden();
  await expect(shell.main).toBeFocused();
  await snap(page, testInfo, 'phone-settings');
});

test('on a phone, tables become cards whose cells name their column', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ['/settings/sessions', '/admin']) {
    await page.goto(path);
    const firstRow = page.getByRole('main').getByRole('table').getByRole('row').nth(1);
    await expect(firstRow).toBeVisible();
    // Nothing wider than the screen: no sideways scrolling of the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(page, testInfo, `phone${path.replace(/\//g, '-')}`);
  }
});

test('following a link moves the focus to the new page and names it in the title', async ({ page }) => {
  await page.goto('/');
  const shell = new AppShell(page);
  await expect(page).toHaveTitle(/^Welcome, .* · edd cloud$/);
  await expect(shell.main).not.toBeFocused(); // a fresh load leaves the focus alone
  await shell.navLink('Storage').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Storage', exact: true })).toBeVisible();
  await expect(shell.main).toBeFocused();
  await expect(page).toHaveTitle('Storage · edd cloud');
});

test('the phone menu closes with Escape and gives the focus back to its button', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const shell = new AppShell(page);
  await shell.menuButton.click();
  await shell.navLink('Storage').focus();
  await page.keyboard.press('Escape');
  await expect(shell.nav).toBeHidden();
  await expect(shell.menuButton).toBeFocused();
});

test('service accounts: create one with a scope, issue a token, delete it', async ({
  page,
  uniqueName,
  cleanupServiceAccounts,
}, testInfo) => {
  const name = uniqueName('sa');
  cleanupServiceAccounts(name);
  const accounts = new ServiceAccountsPage(page);
  await accounts.goto();
  await accounts.name.fill(name);
  await accounts.service.selectOption('compute');
  await accounts.resource.selectOption('containers');
  await accounts.addScope.click();
  await accounts.create.click();

  const card = accounts.card(name);
  await expect(card.root).toContainText('.containers');
  await card.tokenName.fill('deploy');
  await card.createToken.click();
  await expect(card.tokenValue).toHaveValue(/^ecloud_/);
  await expect(card.tokenValue).toBeFocused();
  await snap(page, testInfo, 'service-account-token');
  await card.done.click();
  await expect(card.tokenValue).toHaveCount(0);
  await expect(card.root.getByText('deploy', { exact: true })).toBeVisible();

  // Widening the account's scopes (what all its tokens may do).
  await card.editScopes.click();
  await card.service.selectOption('storage');
  await card.addScope.click();
  await card.saveScopes.click();
  await expect(card.scopes).toContainText('all of storage');

  await card.delete();
  await expect(card.root).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Your service accounts' })).toBeFocused();
});
