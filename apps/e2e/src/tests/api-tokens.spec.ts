import { isApiError } from '@edd/api-client';
import { ApiTokensPage } from '../pages/api-tokens-page';
import { authApiWithToken, expect, snap, test } from '../support/fixtures';

test('create a token, see it once, revoke it, and it is refused afterwards', async ({
  page,
  adminApi,
  authInternal,
  uniqueName,
  cleanupTokens,
}, testInfo) => {
  const me = await adminApi.session();
  const tokens = new ApiTokensPage(page);
  const name = uniqueName('token');
  cleanupTokens(name);
  await tokens.goto();

  // The picker only builds scopes for the signed-in user's own id.
  await tokens.name.fill(name);
  await tokens.service.selectOption('storage');
  await tokens.resource.selectOption('files');
  await tokens.addScope.click();
  await expect(tokens.chosenScopes).toContainText(`storage.${me.user_id}.files`);
  // Removing a scope keeps the keyboard focus in the picker; then it is added again.
  await tokens.chosenScopes.getByRole('button', { name: `Remove scope storage.${me.user_id}.files` }).click();
  await expect(tokens.chosenScopes).toHaveCount(0);
  await expect(tokens.addScope).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(tokens.chosenScopes).toContainText(`storage.${me.user_id}.files`);
  await tokens.expires.selectOption('30d');
  await tokens.create.click();

  // Shown once, with a copy button and the warning.
  await expect(tokens.tokenValue).toHaveValue(/^ecloud_[0-9A-Za-z]+_/);
  await expect(tokens.tokenValue).toBeFocused();
  const secret = await tokens.tokenValue.inputValue();
  await expect(page.getByText('you won’t see it again')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy' })).toBeVisible();
  await snap(page, testInfo, 'token-created');
  await tokens.done.click();
  await expect(tokens.tokenValue).toHaveCount(0);
  await expect(tokens.row(name)).toContainText(`storage.${me.user_id}.files`);
  await expect(page.locator('body')).not.toContainText(secret);
  await page.reload();
  await expect(tokens.row(name)).toBeVisible();
  await expect(page.locator('body')).not.toContainText(secret);

  // Accepted by the check every service uses (auth-client -> auth's token check) ...
  const before = await authInternal.checkToken(secret);
  expect(before).toMatchObject({ valid: true, user_id: me.user_id, scopes: { [`storage.${me.user_id}.files`]: ['read'] } });

  await tokens.revoke(name);
  await expect(tokens.row(name)).toHaveCount(0);
  // The row that held the focus is gone; the list's heading holds it now.
  await expect(page.getByRole('heading', { name: 'Your API tokens' })).toBeFocused();
  await snap(page, testInfo, 'token-revoked');

  // ... and refused once revoked.
  const refused = await authInternal.checkToken(secret).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(isApiError(refused) && refused.status).toBe(401);
  expect((refused as Error).message).toMatch(/revoked/);
});

test('an API token never manages identity, even before it is revoked', async ({ adminApi, uniqueName }) => {
  const me = await adminApi.session();
  const created = await adminApi.createToken({
    name: uniqueName('token'),
    scopes: { [`storage.${me.user_id}`]: ['read'] },
    expires_in: '30d',
  });
  try {
    await expect(authApiWithToken(created.token).listTokens()).rejects.toMatchObject({ status: 403 });
  } finally {
    await adminApi.revokeToken(created.id);
  }
});
