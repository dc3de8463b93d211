import { AppShell } from '../pages/app-shell';
import { SignInPage } from '../pages/sign-in-page';
import { adminLogin } from '../support/e2e-env';
import { expect, snap, test } from '../support/fixtures';

// These start signed out; signing out here ends only this test's own session, never the shared saved one.
test.use({ storageState: { cookies: [], origins: [] } });

test('a signed-out visitor is sent to sign in, signs in and out', async ({ page }, testInfo) => {
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/sign-in$/);
  const signIn = new SignInPage(page);
  await snap(page, testInfo, 'sign-in');

  await signIn.signIn(adminLogin.username, adminLogin.password);
  const shell = new AppShell(page);
  // Back where the visitor wanted to go.
  await expect(page).toHaveURL(/\/settings$/);
  await expect(shell.signOut).toBeVisible();
  await expect(shell.userName).not.toBeEmpty();

  await shell.signOut.click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await page.context().cookies()).find((c) => c.name === 'token')).toBeUndefined();
});

test('a wrong password shows an error and keeps the visitor signed out', async ({ page }, testInfo) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn(adminLogin.username, `wrong-${Date.now()}`);
  await expect(signIn.error).toHaveText('Wrong username or password.');
  await expect(signIn.submit).toBeEnabled();
  // The focus is back where the next attempt starts, not lost on the page.
  await expect(signIn.password).toBeFocused();
  await snap(page, testInfo, 'sign-in-wrong-password');
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('the sign-in form is usable with the keyboard alone', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await expect(signIn.username).toBeFocused();
  await page.keyboard.type(adminLogin.username);
  await page.keyboard.press('Tab');
  await expect(signIn.password).toBeFocused();
  await page.keyboard.type(adminLogin.password);
  await page.keyboard.press('Enter');
  await expect(new AppShell(page).signOut).toBeVisible();
  await new AppShell(page).signOut.click();
  await expect(page).toHaveURL(/\/sign-in$/);
});
