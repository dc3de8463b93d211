import { AdminUsersPage } from '../pages/admin-users-page';
import { AppShell } from '../pages/app-shell';
import { SignInPage } from '../pages/sign-in-page';
import { expect, snap, test } from '../support/fixtures';

test('an admin creates a user who then signs in, then deletes them', async ({
  page,
  browser,
  baseURL,
  uniqueName,
  cleanupUsers,
}, testInfo) => {
  const admin = new AdminUsersPage(page);
  const username = uniqueName('new');
  const password = `pw-${Date.now()}-secret`;
  cleanupUsers(username);

  await admin.goto();
  await admin.username.fill(username);
  await admin.displayName.fill('New Person');
  await admin.password.fill(password);
  await admin.create.click();
  await expect(page.getByRole('status').filter({ hasText: `User ${username} created.` })).toBeVisible();
  await expect(admin.row(username)).toContainText('New Person');
  await snap(page, testInfo, 'admin-user-created');

  // The new user signs in in a browser of their own and is not an admin.
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  try {
    const theirPage = await context.newPage();
    const signIn = new SignInPage(theirPage);
    await signIn.goto();
    await signIn.signIn(username, password);
    const shell = new AppShell(theirPage);
    await expect(shell.userName).toHaveText('New Person');
    await expect(shell.navLink('Settings')).toBeVisible();
    await expect(shell.navLink('Admin')).toHaveCount(0);
    await theirPage.goto('/admin');
    await expect(theirPage.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  } finally {
    await context.close();
  }

  await admin.deleteUser(username);
  await expect(admin.row(username)).toHaveCount(0);
});
