import type { ContainerSpec } from '../container-runtime';
import { SSH_KEYS_DIR } from './names';

export interface ArchiveFile {
  /** Relative to the archive root, e.g. `etc/edd/ssh/authorized_keys`. */
  path: string;
  content: string;
  mode: number;
}

const BLOCK = 512;

/** A POSIX ustar archive of small regular files (what Docker's putArchive takes); paths up to 100 bytes. */
export function tarArchive(files: ArchiveFile[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const body = Buffer.from(file.content, 'utf8');
    const header = Buffer.alloc(BLOCK);
    if (Buffer.byteLength(file.path) > 100) throw new Error(`archive path too long: ${file.path}`);
    header.write(file.path, 0, 100, 'utf8');
    header.write(octal(file.mode, 8), 100);
    header.write(octal(0, 8), 108); // uid root
    header.write(octal(0, 8), 116); // gid root
    header.write(octal(body.length, 12), 124);
    header.write(octal(mtime, 12), 136);
    header.write('        ', 148); // checksum is computed with its own field as spaces
    header.write('0', 156); // regular file
    header.write('ustar\u000000', 257);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148);
    parts.push(header, body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}

const keysPath = (name: string) => `${SSH_KEYS_DIR.replace(/^\//, '')}/${name}`;

/** authorized_keys, one per line. */
export function authorizedKeysText(lines: string[]): string {
  const keys = lines.map((line) => line.trim()).filter(Boolean);
  return keys.length ? `${keys.join('\n')}\n` : '';
}

/** The files the entrypoint copies into place, as the Kubernetes Secret holds them. */
export function keyFiles(spec: Pick<ContainerSpec, 'authorizedKeys' | 'hostKey'>): ArchiveFile[] {
  const privateKey = spec.hostKey.privateKey.endsWith('\n') ? spec.hostKey.privateKey : `${spec.hostKey.privateKey}\n`;
  return [
    { path: keysPath('authorized_keys'), content: authorizedKeysText(spec.authorizedKeys), mode: 0o600 },
    { path: keysPath('ssh_host_ed25519_key'), content: privateKey, mode: 0o600 },
    { path: keysPath('ssh_host_ed25519_key.pub'), content: `${spec.hostKey.publicKey.trim()}\n`, mode: 0o644 },
  ];
}

export function authorizedKeysFiles(lines: string[]): ArchiveFile[] {
  return [{ path: keysPath('authorized_keys'), content: authorizedKeysText(lines), mode: 0o600 }];
}
