import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomString(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** 8 lowercase letters and digits: a DNS label, so `<id>.compute.<domain>` is a valid hostname. */
export const newContainerId = (): string => randomString(8);
/** SSH key ids: also valid scope ids (`compute.<uid>.keys.<id>`). */
export const newKeyId = (): string => `k${randomString(11)}`;
