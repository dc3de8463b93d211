import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { ContainerSpec } from '../container-runtime';
import { containerLabels, namespaceFor, OBJECT_NAMES, SECRET_KEYS, type NamingOptions } from './names';

/** root's authorized_keys: one key per line, newline-terminated (sshd ignores a missing final newline, cat does not). */
export function authorizedKeysFile(lines: string[]): string {
  const keys = lines.map((line) => line.trim()).filter(Boolean);
  return keys.length ? `${keys.join('\n')}\n` : '';
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The keys the entrypoint copies into place: who may log in, and the host key the gateway pins. */
export function buildSshSecret(spec: ContainerSpec, naming: NamingOptions): ISecret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: OBJECT_NAMES.secret, namespace: namespaceFor(spec.id, naming), labels: containerLabels(spec) },
    type: 'Opaque',
    // `data`, not `stringData`: stringData is write-only, so server-side apply could not compare or own it.
    data: {
      [SECRET_KEYS.authorizedKeys]: base64(authorizedKeysFile(spec.authorizedKeys)),
      [SECRET_KEYS.hostPrivateKey]: base64(
        spec.hostKey.privateKey.endsWith('\n') ? spec.hostKey.privateKey : `${spec.hostKey.privateKey}\n`,
      ),
      [SECRET_KEYS.hostPublicKey]: base64(`${spec.hostKey.publicKey.trim()}\n`),
    },
  };
}

/** Only the authorized_keys entry, for a merge patch that leaves the host key alone. */
export function authorizedKeysPatch(id: string, lines: string[], naming: NamingOptions): ISecret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: OBJECT_NAMES.secret, namespace: namespaceFor(id, naming) },
    data: { [SECRET_KEYS.authorizedKeys]: base64(authorizedKeysFile(lines)) },
  };
}
