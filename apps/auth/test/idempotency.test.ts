import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createUserAndLogin, login, startFresh, type LoginReply } from './harness';

let env: Awaited<ReturnType<typeof startFresh>>;
let user: LoginReply;
let other: LoginReply;

beforeAll(async () => {
  env = await startFresh('idempotency');
  const admin = await login(env.auth.url, ADMIN.username, ADMIN.password);
  user = await createUserAndLogin(env.auth.url, admin.token, 'idem.user');
  other = await createUserAndLogin(env.auth.url, admin.token, 'idem.other');
});
afterAll(async () => {
  await env?.close();
});

const createToken = (owner: LoginReply, key: string, name: string) =>
  call<{ id: string; token: string }>(env.auth.url, 'POST', '/api/tokens', {
    token: owner.token,
    headers: { 'idempotency-key': key },
    json: { name, scopes: { [`storage.${owner.user_id}.files`]: ['read'] }, expires_in: '30d' },
  });

describe('Idempotency-Key on auth creations', () => {
  it('a token POST retried after a timeout creates one token, and the retry gets it again', async () => {
    const first = await createToken(user, 'after-504', 'ci');
    expect(first.status).toBe(201);
    const retry = await createToken(user, 'after-504', 'ci');
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const { rows } = await env.auth.db.query<{ count: string }>(`SELECT count(*) FROM api_tokens WHERE name = 'ci'`);
    expect(Number(rows[0]?.count)).toBe(1);
  });

  it('keys are per user, and a key reused for another request is 422', async () => {
    expect((await createToken(user, 'shared-key', 'one')).status).toBe(201);
    expect((await createToken(user, 'shared-key', 'two')).status).toBe(422);
    const theirs = await createToken(other, 'shared-key', 'one');
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a service account and its token, each POSTed twice with one key, are one of each; the token secret is replayed', async () => {
    const headers = { 'idempotency-key': 'sa-1' };
    const body = { name: 'deployer', scopes: { [`compute.${user.user_id}.containers`]: ['read'] } };
    const account = await call<{ id: string }>(env.auth.url, 'POST', '/api/service-accounts', { token: user.token, headers, json: body });
    const again = await call<{ id: string }>(env.auth.url, 'POST', '/api/service-accounts', { token: user.token, headers, json: body });
    expect(account.status).toBe(201);
    expect(again.body.id).toBe(account.body.id);
    const path = `/api/service-accounts/${account.body.id}/tokens`;
    const tokenBody = { name: 'nightly', expires_in: '90d' };
    const tokenHeaders = { 'idempotency-key': 'sa-token-1' };
    const token = await call<{ id: string; token: string }>(env.auth.url, 'POST', path, {
      token: user.token,
      headers: tokenHeaders,
      json: tokenBody,
    });
    const retry = await call<{ id: string; token: string }>(env.auth.url, 'POST', path, {
      token: user.token,
      headers: tokenHeaders,
      json: tokenBody,
    });
    expect(token.status).toBe(201);
    expect(retry.body).toEqual(token.body);
    const { rows } = await env.auth.db.query<{ accounts: string; tokens: string }>(
      `SELECT (SELECT count(*) FROM service_accounts WHERE name = 'deployer') AS accounts,
              (SELECT count(*) FROM api_tokens WHERE service_account_id = $1) AS tokens`,
      [account.body.id],
    );
    expect(rows[0]).toEqual({ accounts: '1', tokens: '1' });
  });

  it('keeps each answer in the transaction that creates: a crash between the commit and the answer cannot lose it', async () => {
    const account = await call<{ id: string }>(env.auth.url, 'POST', '/api/service-accounts', {
      token: user.token,
      headers: { 'idempotency-key': 'sa-tx' },
      json: { name: 'tx-account', scopes: { [`compute.${user.user_id}.containers`]: ['read'] } },
    });
    expect(account.status, account.text).toBe(201);
    const token = await createToken(user, 'token-tx', 'tx-token');
    expect(token.status, token.text).toBe(201);
    // xmin is the transaction that wrote a row: each created row and its kept answer must share it. The store's key
    // is a hash of the caller and the Idempotency-Key (@edd/http); the answer itself is sealed, never plain.
    const storeKey = (key: string) => createHash('sha256').update(`${user.user_id}\0${key}`).digest('hex');
    const { rows } = await env.auth.db.query<Record<string, string | null>>(
      `SELECT (SELECT xmin::text FROM service_accounts WHERE id = $1) AS account_tx,
              (SELECT xmin::text FROM idempotency_keys WHERE key = $2 AND status = 201) AS account_answer_tx,
              (SELECT xmin::text FROM api_tokens WHERE id = $3) AS token_tx,
              (SELECT xmin::text FROM idempotency_keys WHERE key = $4 AND status = 201) AS token_answer_tx,
              (SELECT count(*)::text FROM idempotency_keys WHERE sealed LIKE '%' || $5 || '%') AS plain_secrets`,
      [account.body.id, storeKey('sa-tx'), token.body.id, storeKey('token-tx'), token.body.token],
    );
    const row = rows[0] ?? {};
    expect(row['account_tx']).not.toBeNull();
    expect(row['account_answer_tx']).toBe(row['account_tx']);
    expect(row['token_tx']).not.toBeNull();
    expect(row['token_answer_tx']).toBe(row['token_tx']);
    expect(row['plain_secrets']).toBe('0');
  });
});
