import { expect, type Locator, type Page, type Request } from '@playwright/test';

const NETWORK_CHANGED = 'net::ERR_NETWORK_CHANGED';

/**
 * Opens `path` and waits until `ready` shows. Chromium fails every request in flight with net::ERR_NETWORK_CHANGED
 * when the machine's network interfaces change, and the compute sandbox adds a veth pair whenever a test running in
 * parallel starts a container: the dev server's module graph is then left half loaded and the page blank. Such a
 * load is repeated (up to twice more), as a person would reload; any other failure fails at once.
 */
export async function openPage(page: Page, path: string, ready: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let networkChanged = false;
    const onFailed = (request: Request): void => {
      if (request.failure()?.errorText === NETWORK_CHANGED) networkChanged = true;
    };
    page.on('requestfailed', onFailed);
    try {
      await page.goto(path);
      await expect(ready).toBeVisible();
      return;
    } catch (error) {
      if (!networkChanged || attempt === 3) throw error;
    } finally {
      page.off('requestfailed', onFailed);
    }
  }
}
