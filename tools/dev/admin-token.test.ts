import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminTokenFile, devAdminToken, readAdminToken } from './admin-token';
import { appEnvironment, DEV_DEFAULTS } from './dev-env';

/** Issue 14 item 10: the gateway admin token was the same fixed string on every machine. */
describe('development gateway admin token', () => {
  const dirs: string[] = [];
  const dataRoot = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'edd-admin-token-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is made once per machine, kept readable by its owner only, and differs between machines', () => {
    const a = dataRoot();
    const token = devAdminToken(a);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(devAdminToken(a)).toBe(token);
    expect(readAdminToken(a)).toBe(token);
    expect(statSync(adminTokenFile(a)).mode & 0o777).toBe(0o600);
    expect(devAdminToken(dataRoot())).not.toBe(token);
  });

  it('is what npm start gives the gateway, unless the environment sets one; there is no fixed default', () => {
    expect(DEV_DEFAULTS).not.toHaveProperty('GATEWAY_ADMIN_TOKEN');
    const base = { workspaceRoot: '/w', infra: {} };
    expect(appEnvironment({ ...base, base: {}, adminToken: 'machine-token-0123456789' })['GATEWAY_ADMIN_TOKEN']).toBe(
      'machine-token-0123456789',
    );
    expect(
      appEnvironment({ ...base, base: { GATEWAY_ADMIN_TOKEN: 'from-the-environment-0123' }, adminToken: 'machine-token-0123456789' })[
        'GATEWAY_ADMIN_TOKEN'
      ],
    ).toBe('from-the-environment-0123');
  });
});
