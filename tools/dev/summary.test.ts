import { describe, expect, it } from 'vitest';
import { DEV_APPS } from './apps';
import { summary } from './summary';

const env = { DEFAULT_USERNAME: 'admin', DEFAULT_PASSWORD: 'not-for-log-files-42' };
const ready = new Set(DEV_APPS.map((app) => app.name));

describe('npm start banner', () => {
  it('prints the admin password only to a terminal, never into redirected output (log files)', () => {
    expect(summary(DEV_APPS, ready, 'cloud.localhost', env, { showPassword: true })).toContain('not-for-log-files-42');
    const redirected = summary(DEV_APPS, ready, 'cloud.localhost', env, { showPassword: false });
    expect(redirected).not.toContain('not-for-log-files-42');
    expect(redirected).toContain('admin');
  });
});
