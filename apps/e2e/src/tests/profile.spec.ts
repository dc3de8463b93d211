import { AppShell } from '../pages/app-shell';
import { ProfilePage } from '../pages/profile-page';
import { authApiWithToken, expect, sessionTokenOf, signInContext, snap, test } from '../support/fixtures';

// A throwaway user, so the shared admin's name never changes under other tests.
test.use({ storageState: { cookies: [], origins: [] } });

test('change the display name', async ({ page, testUser }, testInfo) => {
  await signInContext(page, testUser);
  const profile = new ProfilePage(page);
  await profile.goto();
  await expect(profile.displayName).toHaveValue(testUser.displayName);

  const newName = `Renamed ${Date.now()}`;
  await profile.displayName.fill(newName);
  await profile.save.click();
  await expect(profile.saved).toBeVisible();
  await expect(new AppShell(page).userName).toHaveText(newName);
  await snap(page, testInfo, 'settings-profile-renamed');

  await page.reload();
  await expect(profile.displayName).toHaveValue(newName);
  expect((await authApiWithToken(await sessionTokenOf(page.context())).session()).display_name).toBe(newName);
});

test('change the password: the new one works, the old one and the other sessions do not', async ({ page, testUser }, testInfo) => {
  await signInContext(page, testUser);
  const { token: otherSession } = await authApiWithToken().login(testUser);
  await page.goto('/settings');
  const newPassword = `${testUser.password}-new`;
  await page.getByLabel('Current password').fill(testUser.password);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Repeat new password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible();
  await snap(page, testInfo, 'settings-password-changed');

  await expect(authApiWithToken(otherSession).session()).rejects.toMatchObject({ status: 401 });
  await expect(authApiWithToken().login(testUser)).rejects.toMatchObject({ status: 401 });
  const { token } = await authApiWithToken().login({ username: testUser.username, password: newPassword });
  await authApiWithToken(token).logout();
  // This browser's own session survives the change.
  await page.reload();
  await expect(new AppShell(page).signOut).toBeVisible();
});

test('revoke the other sessions from the sessions page', async ({ page, testUser }, testInfo) => {
  await signInContext(page, testUser);
  const { token: otherSession } = await authApiWithToken().login(testUser);
  await page.goto('/settings/sessions');
  const rows = page.getByRole('region', { name: 'Active sessions' }).getByRole('row');
  await expect(rows).toHaveCount(3); // header + this browser + the API session
  await expect(page.getByText('This session')).toBeVisible();
  await snap(page, testInfo, 'settings-sessions-two');

  await page.getByRole('button', { name: 'Revoke other sessions (1)' }).click();
  await page.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(rows).toHaveCount(2);
  await expect(authApiWithToken(otherSession).session()).rejects.toMatchObject({ status: 401 });
});
