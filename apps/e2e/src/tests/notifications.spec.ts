import { NotificationsUi } from '../pages/notifications-page';
import { authApiWithToken, expect, sessionTokenOf, signInContext, snap, test } from '../support/fixtures';

// A throwaway user: its notifications and mutes are its own, whatever other tests do meanwhile.
test.use({ storageState: { cookies: [], origins: [] } });

test('a real notification arrives live, is opened and marked read; a muted category stops arriving', async ({
  page,
  testUser,
  uniqueName,
}, testInfo) => {
  await signInContext(page, testUser);
  const ui = new NotificationsUi(page);
  await page.goto('/');
  await expect(ui.unreadCount).toHaveText('0');
  await ui.waitUntilLive();
  const auth = authApiWithToken(await sessionTokenOf(page.context()));
  const scopes = { [`storage.${testUser.userId}.files`]: ['read' as const] };

  // Creating a service account makes auth notify its owner: a toast shows (checked first: it shows on arrival,
  // the count only after a refetch) and the count rises without a reload.
  const first = uniqueName('sa');
  await auth.createServiceAccount({ name: first, scopes });
  await expect(ui.toast).toContainText('Service account created');
  await expect(ui.unreadCount).toHaveText('1');
  await snap(page, testInfo, 'notification-arrived');

  // The bell's dropdown lists it; the Notifications page marks it read.
  await ui.bell.click();
  await expect(ui.dropdown).toContainText(first);
  await ui.dropdown.getByRole('link', { name: 'All notifications' }).click();
  await expect(ui.item(first)).toBeVisible();
  await ui.item(first).getByRole('button', { name: 'Mark read' }).click();
  await expect(ui.unreadCount).toHaveText('0');
  await expect(ui.item(first).getByRole('button', { name: 'Mark read' })).toHaveCount(0);

  // Mute the auth category: the next service account's notification is dropped on arrival.
  await ui.item(first).getByRole('button', { name: 'Mute auth' }).click();
  await expect(ui.mutes).toContainText('auth (all)');
  const muted = uniqueName('sa');
  await auth.createServiceAccount({ name: muted, scopes });
  // Unmute, then one more: auth publishes in order and the service takes one user's notifications in order,
  // so once the third is shown the second has been handled (and dropped).
  await ui.mutes.getByRole('button', { name: 'Unmute auth' }).click();
  await expect(ui.mutes).toHaveCount(0);
  const third = uniqueName('sa');
  await auth.createServiceAccount({ name: third, scopes });
  await expect(ui.item(third)).toBeVisible();
  await expect(ui.unreadCount).toHaveText('1');
  await expect(ui.item(muted)).toHaveCount(0);
  await page.reload();
  await expect(ui.item(third)).toBeVisible();
  await expect(ui.items).toHaveCount(2);
  await snap(page, testInfo, 'notifications-page');
});
