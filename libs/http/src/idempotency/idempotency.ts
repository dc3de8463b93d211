import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { HttpError } from '../errors';
import type { IdempotencyRecord, IdempotencyStore, SqlQueryable } from './idempotency-store';

export interface IdempotencyOptions {
  /** Where keys and answers are kept: redisIdempotencyStore or postgresIdempotencyStore. */
  store: IdempotencyStore;
  /** Whose key space this request is in (the caller's user id); undefined: no replay, the handler refuses it. */
  scopeOf: (req: Request) => string | undefined | Promise<string | undefined>;
  /** How long an answer is kept for replay (default 24 h). */
  ttlMs?: number;
  /** How long a first request may run before a retry with its key may run instead (default 60 s). */
  runningMs?: number;
}

/**
 * Answers may carry secrets shown once (a new API token): the store holds them only sealed with a key derived from
 * the client's Idempotency-Key, which is never stored (the store's key is a hash), so the store alone reveals nothing.
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
 * method, path or body is 422; while the first request still runs, 409 with Retry-After. Server errors (5xx) and
 * 429 are not kept: the retry runs again.
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
    const storeKey = sha256(`${scope}\0${key}`);
    const secret = createHash('sha256').update(`seal\0${scope}\0${key}`).digest();
    const fingerprint = sha256(`${req.method} ${req.originalUrl}\0${JSON.stringify(req.body ?? null)}`);
    const { store } = options;

    if (!(await store.claim(storeKey, fingerprint, runningMs))) return replay(res, await store.read(storeKey), fingerprint, secret);
    const claim: Claim = { keptWithin: undefined };
    if (store.keepWithin) {
      const keepWithin = store.keepWithin.bind(store);
      claim.keepWithin = async (db, status, body) => {
        await keepWithin(db, storeKey, { fingerprint, status, sealed: seal(secret, body) }, ttlMs);
        claim.keptWithin = body;
      };
    }
    claims.set(res, claim);
    keepAnswer(res, (status, body) =>
      // Kept already, in the transaction that made what it describes (answerWithinTransaction).
      body === claim.keptWithin && body !== undefined
        ? Promise.resolve()
        : // A server error or a rate limit is no outcome to repeat: the retry runs again.
          status >= 500 || status === 429
          ? store.release(storeKey)
          : store.keep(storeKey, { fingerprint, status, sealed: seal(secret, body) }, ttlMs),
    );
    next();
  };
}

/** A request that holds its Idempotency-Key, and what answerWithinTransaction kept for it. */
interface Claim {
  keepWithin?: (db: SqlQueryable, status: number, body: unknown) => Promise<void>;
  keptWithin: unknown;
}

const claims = new WeakMap<Response, Claim>();

/**
 * Keeps `body` (to be sent with `status`) as the answer to this request's Idempotency-Key through `db`, the
 * transaction that creates what it describes: a crash after that transaction commits and before the answer is
 * sent still leaves a retry the answer, instead of a claim that expires and lets the retry create a second thing.
 * Send the same `body` object with `res.status(status).json(body)` after the commit. Does nothing when the request
 * has no key, or its store cannot join a transaction (Redis): the answer is then kept when it is sent, as always.
 */
export async function answerWithinTransaction(res: Response, db: SqlQueryable, status: number, body: unknown): Promise<void> {
  await claims.get(res)?.keepWithin?.(db, status, body);
}

function replay(res: Response, stored: IdempotencyRecord | undefined, fingerprint: string, secret: Buffer): void {
  // Expired between claim and read: rare enough that asking for a retry is right.
  if (stored === undefined)
    throw new HttpError('conflict', 'a request with this Idempotency-Key is in progress', { headers: { 'Retry-After': '1' } });
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
