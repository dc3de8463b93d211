import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { RuntimeAvailability } from '../container-runtime';

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

async function findExecutable(name: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SEARCH_PATH];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    const found = await access(candidate, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (found) return candidate;
  }
  return undefined;
}

/** Root (network namespaces and bridges), bwrap, sshd at the path the sandbox runs, and iproute2's `ip`. */
export async function sandboxAvailability(): Promise<RuntimeAvailability> {
  if (process.platform !== 'linux') {
    return { available: false, reason: 'the sandbox runtime needs Linux', remedy: 'use the docker runtime' };
  }
  if (process.getuid?.() !== 0) {
    return {
      available: false,
      reason: 'compute is not running as root, which network namespaces and the bridge need',
      remedy: 'run compute as root (sudo npm start), or choose another runtime with COMPUTE_RUNTIME',
    };
  }
  const missing: string[] = [];
  if (!(await findExecutable('bwrap'))) missing.push('bwrap (bubblewrap)');
  const sshd = await access('/usr/sbin/sshd', constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!sshd) missing.push('/usr/sbin/sshd (openssh-server)');
  if (!(await findExecutable('ip'))) missing.push('ip (iproute2)');
  if (missing.length > 0) {
    return {
      available: false,
      reason: `missing: ${missing.join(', ')}`,
      remedy: 'apt-get install bubblewrap openssh-server iproute2',
    };
  }
  return { available: true };
}
