import { ApiTokensPage } from '../pages/api-tokens-page';
import { expect, snap, test } from '../support/fixtures';

// The service's own {"error": "..."} text reaches the person, and a failed load can be retried.

test('a failed session check says so and offers a retry that recovers', async ({ page }, testInfo) => {
  let failing = true;
  await page.route('**/api/session', (route) =>
    failing ? route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"auth is starting up"}' }) : route.fallback(),
  );
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Could not check your session' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Auth is starting up');
  await snap(page, testInfo, 'session-check-failed');

  failing = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('an API refusal while creating a token is shown in the form, which keeps its input', async ({ page, uniqueName }, testInfo) => {
  const tokens = new ApiTokensPage(page);
  await page.route('**/api/tokens', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 409, contentType: 'application/json', body: '{"error":"a token with this name already exists"}' })
      : route.fallback(),
  );
  const name = uniqueName('token');
  await tokens.goto();
  await tokens.name.fill(name);
  await tokens.addScope.click();
  await tokens.create.click();
  await expect(page.getByRole('form', { name: 'Create an API token' }).getByRole('alert')).toHaveText(
    'A token with this name already exists',
  );
  await expect(tokens.name).toHaveValue(name);
  await expect(tokens.tokenValue).toHaveCount(0);
  await snap(page, testInfo, 'token-create-refused');
});
