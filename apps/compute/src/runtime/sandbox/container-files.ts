import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerSpec } from '../container-runtime';
import { volumeDirectory, type ContainerPaths } from './container-paths';
import { AUTHORIZED_KEYS_FILE, checkHostKey, HOST_KEY_FILE, renderAuthorizedKeys, renderSshdConfig, SSHD_CONFIG_FILE } from './sshd-files';
import { writeFileAtomic } from './state-store';

/**
 * Everything on disk a sandbox starts from: its directories, sshd's files (root-owned, 0600/0700: sshd's StrictModes
 * refuses anything looser), /etc/hostname and /etc/hosts. Rewritten on every apply, so a spec change lands.
 */
export async function writeContainerFiles(paths: ContainerPaths, spec: ContainerSpec, address: string): Promise<void> {
  const hostKey = checkHostKey(spec.hostKey.privateKey);
  const authorizedKeys = renderAuthorizedKeys(spec.authorizedKeys);
  for (const dir of [paths.root, paths.ssh]) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  }
  await mkdir(paths.etc, { recursive: true, mode: 0o755 });
  await mkdir(paths.home, { recursive: true, mode: 0o700 });
  for (const mountPath of spec.mountPaths) await mkdir(volumeDirectory(paths, mountPath), { recursive: true });
  await writeFileAtomic(join(paths.ssh, HOST_KEY_FILE), hostKey);
  await writeFileAtomic(join(paths.ssh, `${HOST_KEY_FILE}.pub`), `${spec.hostKey.publicKey.trim()}\n`, 0o644);
  await writeFileAtomic(join(paths.ssh, SSHD_CONFIG_FILE), renderSshdConfig());
  await writeFileAtomic(join(paths.ssh, AUTHORIZED_KEYS_FILE), authorizedKeys);
  await writeFileAtomic(join(paths.etc, 'hostname'), `${spec.id}\n`, 0o644);
  await writeFileAtomic(join(paths.etc, 'hosts'), `127.0.0.1\tlocalhost\n${address}\t${spec.id}\n`, 0o644);
}

/** Replaces root's authorized_keys in one rename: sshd reads it per login, so the next login sees the new keys. */
export async function writeAuthorizedKeys(paths: ContainerPaths, lines: string[]): Promise<void> {
  await writeFileAtomic(join(paths.ssh, AUTHORIZED_KEYS_FILE), renderAuthorizedKeys(lines));
}
