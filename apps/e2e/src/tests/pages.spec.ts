import { AppShell } from '../pages/app-shell';
import { expect, snap, test } from '../support/fixtures';

// Every screen renders through the gateway; each one is kept as a screenshot artefact.
const screens = [
  { path: '/', heading: /^Welcome, / },
  { path: '/storage', heading: 'Storage', text: 'The storage service is not available yet.' },
  { path: '/compute', heading: 'Compute', text: 'The compute service is not available yet.' },
  { path: '/health', heading: 'Health', text: 'The health service is not available yet.' },
  { path: '/notifications', heading: 'Notifications', text: 'The notifications service is not available yet.' },
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
    if (screen.text) await expect(page.getByText(screen.text)).toBeVisible();
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

test('service accounts: create one with a scope, issue a token, delete it', async ({ page, uniqueName }, testInfo) => {
  const name = uniqueName('sa');
  await page.goto('/settings/service-accounts');
  const form = page.getByRole('form', { name: 'Create a service account' });
  await form.getByLabel('Service account name').fill(name);
  await form.getByLabel('Service', { exact: true }).selectOption('compute');
  await form.getByLabel('Resource', { exact: true }).selectOption('containers');
  await form.getByRole('button', { name: 'Add scope' }).click();
  await form.getByRole('button', { name: 'Create service account' }).click();

  const card = page.getByRole('listitem', { name: `Service account ${name}` });
  await expect(card).toContainText('.containers');
  await card.getByLabel('New token name').fill('deploy');
  await card.getByRole('button', { name: 'Create token' }).click();
  await expect(card.getByLabel('Token value')).toHaveValue(/^ecloud_/);
  await snap(page, testInfo, 'service-account-token');
  await card.getByRole('button', { name: 'Done, I stored it' }).click();
  await expect(card.getByText('deploy', { exact: true })).toBeVisible();

  // Widening the account's scopes (what all its tokens may do).
  await card.getByRole('button', { name: `Edit scopes of ${name}` }).click();
  await card.getByLabel('Service', { exact: true }).selectOption('storage');
  await card.getByRole('button', { name: 'Add scope' }).click();
  await card.getByRole('button', { name: 'Save scopes' }).click();
  await expect(card.getByRole('list', { name: 'Scopes' })).toContainText('all of storage');

  await card.getByRole('button', { name: `Delete service account ${name}` }).click();
  await card.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(card).toHaveCount(0);
});
