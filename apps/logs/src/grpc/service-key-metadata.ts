import { createHash, timingSafeEqual } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Did the caller send the service key, as `x-service-key` or `authorization: Bearer <key>`? Constant time. */
export function metadataHasServiceKey(metadata: Metadata, key: string): boolean {
  const header = metadata.get('x-service-key')[0];
  const bearer = /^Bearer (\S+)$/.exec(String(metadata.get('authorization')[0] ?? ''))?.[1];
  const presented = typeof header === 'string' ? header : bearer;
  return presented !== undefined && timingSafeEqual(digest(presented), digest(key));
}
