import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NATS_USERS, renderNatsConfig, type NatsUserName } from './server-config';

/** One password per NATS user. */
export type NatsCredentials = Record<NatsUserName, string>;

/**
 * 24 random bytes in base64url behind a letter: nats-server reads a `$NATS_PASSWORD_*` value that
 * starts with a digit or `-` as a number and refuses to start, so a password never does.
 */
export const randomPassword = (): string => `p${randomBytes(24).toString('base64url')}`;

/**
 * The local users' passwords, kept in `<dir>/credentials.json` (mode 600) so they stay the same from
 * one `npm start` to the next; a user added to `eventPublishers` later gets one on the next run.
 */
export function loadOrCreateCredentials(dir: string): NatsCredentials {
  const file = join(dir, 'credentials.json');
  const saved: Partial<Record<string, unknown>> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
    : {};
  const credentials = Object.fromEntries(
    NATS_USERS.map((user) => {
      const value = saved[user];
      return [user, typeof value === 'string' && value.length >= 16 ? value : randomPassword()];
    }),
  ) as NatsCredentials;
  writePrivate(file, `${JSON.stringify(credentials, null, 2)}\n`);
  return credentials;
}

/**
 * Writes the local nats-server config (`<dir>/nats.conf`, mode 600: it holds the passwords in the
 * clear, because nothing here can make the bcrypt hashes nats-server also accepts without a new
 * dependency). Listen address, JetStream and store come from the command line.
 */
export function writeLocalNatsConfig(dir: string, credentials: NatsCredentials): string {
  const file = join(dir, 'nats.conf');
  writePrivate(file, renderNatsConfig({ password: (user) => ({ literal: credentials[user] }) }));
  return file;
}

function writePrivate(file: string, content: string): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its mode on write
}
