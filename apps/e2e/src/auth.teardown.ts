import { readFileSync } from 'node:fs';
import { isApiError } from '@edd/api-client';
import { test as teardown } from '@playwright/test';
import { adminStateFile } from './support/e2e-env';
import { authApiWithToken } from './support/fixtures';

// Ends the admin session the setup project opened, so runs against a long-lived platform do not pile up sessions.
teardown('sign the saved admin session out', async () => {
  const state = JSON.parse(readFileSync(adminStateFile, 'utf8')) as { cookies: Array<{ name: string; value: string }> };
  const token = state.cookies.find((cookie) => cookie.name === 'token')?.value;
  if (!token) return;
  try {
    await authApiWithToken(token).logout();
  } catch (error) {
    if (!(isApiError(error) && error.status === 401)) throw error; // already ended
  }
});
