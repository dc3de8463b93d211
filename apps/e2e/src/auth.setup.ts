import { expect, test as setup } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { SignInPage } from './pages/sign-in-page';
import { adminLogin, adminStateFile } from './support/e2e-env';

// Signs the admin in once through the real form; every spec starts from this saved state.
setup('sign in as the admin', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn(adminLogin.username, adminLogin.password);
  await expect(new AppShell(page).signOut).toBeVisible();
  await page.context().storageState({ path: adminStateFile });
});
