import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBrowserPage, NamespacesPage } from '../pages/storage-page';
import { expect, snap, test } from '../support/fixtures';

// Issue 9: "resumable: a reload mid-upload resumes". The file comes from disk, as a user's does: picking it again
// after the reload gives the browser the same name, size and modification time, which is what the upload is keyed by.

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('an upload cut short by a reload continues where it stopped when the same file is picked again', async ({
  page,
  uniqueName,
  cleanupNamespaces,
}, testInfo) => {
  test.setTimeout(120_000);
  const namespace = uniqueName('ns');
  cleanupNamespaces(namespace);
  const dir = await mkdtemp(join(tmpdir(), 'e2e-resume-'));
  const bytes = randomBytes(12 * 1024 * 1024);
  const file = join(dir, 'resume.bin');
  await writeFile(file, bytes);
  try {
    const namespaces = new NamespacesPage(page);
    await namespaces.goto();
    await namespaces.createNamespace(namespace, 'private');
    await namespaces.link(namespace).click();
    const browser = new FileBrowserPage(page);
    await expect(page.getByRole('heading', { name: `Namespace ${namespace}` })).toBeVisible();

    // A slow uplink (Chromium's own throttling), so the reload lands mid-upload.
    const network = await page.context().newCDPSession(page);
    await network.send('Network.enable');
    await network.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 1024 * 1024,
    });
    await browser.upload([file]);
    await expect
      .poll(async () => Number(await browser.progress('resume.bin').getAttribute('value')), { timeout: 30_000 })
      .toBeGreaterThan(15);

    await page.reload();
    const unfinished = page.getByRole('region', { name: 'Unfinished uploads' });
    await expect(unfinished).toContainText('resume.bin');
    await snap(page, testInfo, 'storage-unfinished-upload');
    await network.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await browser.upload([file]);
    await expect(browser.uploadRow('resume.bin')).toContainText('resumed');
    await expect(browser.uploadRow('resume.bin')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(unfinished).toHaveCount(0);
    expect(sha256(await browser.download('resume.bin'))).toBe(sha256(bytes));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
