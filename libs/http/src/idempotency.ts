import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { HttpError } from './errors';

export interface IdempotencyOptions {
  redis: Redis;
  /** The service's Redis key prefix. */
  keyPrefix: string;
  /** Whose key space this request is in (the caller's user id); undefined: no replay, the handler refuses it. */
  scopeOf: (req: Request) => string | undefined | Promise<string | undefined>;
  /** How long an answer is kept for replay (default 24 h). */
  ttlMs?: number;
  /** How long a first request may run before a retry with its key may run instead (default 60 s). */
  runningMs?: number;
}

interface Stored {
  fingerprint: string;
  status?: number;
  /** The answer's JSON, sealed (AES-256-GCM) with a key derived from the Idempotency-Key, which is not stored. */
  sealed?: string;
}

/**
 * Answers may carry secrets shown once (a new API token): Redis holds them only sealed with a key derived from the
 * client's Idempotency-Key, which is never stored (the Redis key name is a hash), so Redis alone reveals nothing.
 */
function seal(secret: Buffer, body: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(body), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
}

function unseal(secret: Buffer, sealed: string): unknown {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', secret, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as unknown;
}

/** RFC draft-ietf-httpapi-idempotency-key-header: a client-chosen string; bounded and printable here. */
const KEY = /^[\x21-\x7e]{1,255}$/;

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * `Idempotency-Key` on a POST that creates something: the first request with a key runs and its answer (status and
 * JSON body) is kept; a retry with the same key and the same request gets that answer again (with
 * `Idempotent-Replayed: true`) instead of creating a second thing, which makes a POST safe to retry after a 504.
 * Keys are per caller (`scopeOf`), so one user's key never answers another's request. The same key with a different
 * method, path or body is 422; while the first request still runs, 409 with Retry-After. Server errors (5xx) are
 * and 429 are not kept: the retry runs again.
 */
export function idempotency(options: IdempotencyOptions): RequestHandler {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const runningMs = options.runningMs ?? 60_000;
  return async (req, res, next) => {
    const key = req.headers['idempotency-key'];
    if (key === undefined) return next();
    if (typeof key !== 'string' || !KEY.test(key)) throw new HttpError('invalid_request', 'Idempotency-Key: 1 to 255 printable characters');
    const scope = await options.scopeOf(req);
    if (scope === undefined) return next();
    const redisKey = `${options.keyPrefix}idempotency:${sha256(`${scope}\0${key}`)}`;
    const secret = createHash('sha256').update(`seal\0${scope}\0${key}`).digest();
    const fingerprint = sha256(`${req.method} ${req.originalUrl}\0${JSON.stringify(req.body ?? null)}`);

    const claimed = await options.redis.set(redisKey, JSON.stringify({ fingerprint } satisfies Stored), 'PX', runningMs, 'NX');
    if (claimed !== 'OK') return replay(res, await options.redis.get(redisKey), fingerprint, secret);
    keepAnswer(res, (status, body) =>
      // A server error or a rate limit is no outcome to repeat: the retry runs again.
      status >= 500 || status === 429
        ? options.redis.del(redisKey)
        : options.redis.set(redisKey, JSON.stringify({ fingerprint, status, sealed: seal(secret, body) } satisfies Stored), 'PX', ttlMs),
    );
    next();
  };
}

function replay(res: Response, raw: string | null, fingerprint: string, secret: Buffer): void {
  // Expired between SET NX and GET: rare enough that asking for a retry is right.
  if (raw === null)
    throw new HttpError('conflict', 'a request with this Idempotency-Key is in progress', { headers: { 'Retry-After': '1' } });
  const stored = JSON.parse(raw) as Stored;
  if (stored.fingerprint !== fingerprint) throw new HttpError('idempotency_key_reused');
  if (stored.status === undefined || stored.sealed === undefined)
    throw new HttpError('conflict', 'a request with this Idempotency-Key is in progress', { headers: { 'Retry-After': '1' } });
  res.set('Idempotent-Replayed', 'true').status(stored.status).json(unseal(secret, stored.sealed));
}

/**
 * Hands the status and JSON body the handler (or the error handler) answers with to `store`, and sends the answer
 * once it is stored, so a retry that follows the answer always finds it. A failed store still sends the answer.
 */
function keepAnswer(res: Response, store: (status: number, body: unknown) => Promise<unknown>): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    void store(res.statusCode, body)
      .catch(() => undefined)
      .finally(() => json(body));
    return res;
  };
}
