import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { SignInPage } from '../pages/sign-in-page';
import { serviceApiKey, workspaceRoot } from '../support/e2e-env';
import { expect, snap, test } from '../support/fixtures';

// The log service's gRPC port under `npm start` (tools/dev/apps.ts) and its definition in the repository.
const LOG_SERVICE = process.env['E2E_LOG_SERVICE_URL'] || '127.0.0.1:50051';

/** Pushes one entry as a platform service would (service key in the metadata). */
async function pushLog(entry: { source: string; level: string; message: string }): Promise<void> {
  const definition = loadSync(`${workspaceRoot}apps/logs/proto/logging.proto`, { keepCase: true, enums: String, longs: Number });
  const Client = (grpc.loadPackageDefinition(definition)['logging'] as grpc.GrpcObject)['LogService'] as grpc.ServiceClientConstructor;
  const client = new Client(LOG_SERVICE, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set('x-service-key', serviceApiKey);
  try {
    await new Promise<void>((resolve, reject) =>
      (client['PushLog'] as (r: unknown, m: grpc.Metadata, cb: (e: grpc.ServiceError | null) => void) => void).call(
        client,
        { entry },
        metadata,
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  } finally {
    client.close();
  }
}

test('a sign-in shows up in the live tail within 2 s', async ({ page, browser, testUser }) => {
  // Two browsers and a sign-in on a shared machine: more than the default minute, except the 2 s the tail gets.
  test.slow();
  await page.goto('/health/logs');
  await expect(page.getByRole('heading', { name: 'Logs', level: 1 })).toBeVisible();
  const filters = page.getByRole('form', { name: 'Live tail filters' });
  await filters.getByLabel('Source').fill('auth');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('tail-state')).toHaveAttribute('data-state', 'following');

  // Another browser signs in as the test user: auth logs the sign-in, the log service carries it to the open tail.
  const visitor = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const other = await visitor.newPage();
    const signIn = new SignInPage(other);
    await signIn.goto();
    await signIn.signIn(testUser.username, testUser.password);
    await expect(other.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(page.getByTestId('log-tail')).toContainText(new RegExp(`signed in .*username=${testUser.username}`), { timeout: 2_000 });
  } finally {
    await visitor.close();
  }

  // Pause holds new lines back; resume shows them.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('tail-state')).toHaveAttribute('data-state', 'paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('tail-state')).toHaveAttribute('data-state', 'following');
});

test('a WARN entry is found by searching the archive', async ({ page }, testInfo) => {
  const marker = `e2e-warn-${randomBytes(4).toString('hex')}`;
  await pushLog({ source: 'e2e', level: 'WARN', message: `disk almost full ${marker}` });
  await page.goto('/health/logs');
  const search = page.getByRole('form', { name: 'Archive search' });
  await search.getByLabel('Source').fill('e2e');
  await search.getByLabel('Level at least').selectOption('WARN');
  await search.getByLabel('Text').fill(marker);
  // The archive commits in batches: search again until the entry is there.
  await expect(async () => {
    await search.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByTestId('search-results')).toContainText(`disk almost full ${marker}`, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId('search-results')).toContainText('WARN');
  await snap(page, testInfo, 'logs-search');
});
