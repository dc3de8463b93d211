import { SCOPE_FORMAT, SCOPE_ROOTS, isScopeResource, isScopeRoot, resourcesOf } from './catalog';
import type { ScopeRoot } from './catalog';

/** A well-formed scope, split into its parts. `level` says how broad it is. */
export interface ParsedScope {
  ok: true;
  root: ScopeRoot;
  userId: string;
  resource?: string;
  id?: string;
  level: 'user' | 'resource' | 'id';
}

export interface ScopeError {
  ok: false;
  error: string;
}

export const MAX_SCOPE_LENGTH = 256;
// User ids are random public ids (base62); ids are container/key/mapping ids or namespace names.
// No '.', so the grammar is unambiguous, and no '*': there are no wildcards, only broader scopes.
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const RESOURCE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** True when `value` can be used as the `<id>` segment of a scope (services: check names at creation). */
export function isValidScopeId(value: string): boolean {
  return RESOURCE_ID.test(value);
}

/** Builds `<root>.<user_id>[.<resource>[.<id>]]`; does not validate (parseScope / hasScope do, failing closed). */
export function formatScope(root: ScopeRoot, userId: string, resource?: string, id?: string): string {
  return [root, userId, resource, resource === undefined ? undefined : id].filter((s) => s !== undefined).join('.');
}

const fail = (error: string): ScopeError => ({ ok: false, error });
const show = (value: string): string => JSON.stringify(value);

/** Parses a scope against the grammar `<root>.<user_id>[.<resource>[.<id>]]` and the catalogue. */
export function parseScope(scope: string): ParsedScope | ScopeError {
  if (typeof scope !== 'string') return fail('scope must be a string');
  if (scope.length === 0) return fail('scope is empty');
  if (scope.length > MAX_SCOPE_LENGTH) return fail(`scope is longer than ${MAX_SCOPE_LENGTH} characters`);
  if (scope.includes('*')) return fail(`wildcards ("*") are not supported: grant the broader scope instead, e.g. storage.<user_id>`);
  if (/\s/.test(scope)) return fail('scope must not contain whitespace');

  const segments = scope.split('.');
  const empty = segments.findIndex((s) => s === '');
  if (empty !== -1) return fail(`empty segment at position ${empty + 1} (leading, trailing or doubled ".")`);
  if (segments.length > 4) {
    return fail(`too many segments (${segments.length}): the format is ${SCOPE_FORMAT}, and ids cannot contain "."`);
  }

  const [root = '', userId, resource, id] = segments;
  if (!isScopeRoot(root)) return fail(unknownName('root', root, SCOPE_ROOTS));
  if (userId === undefined) return fail(`a bare root (${show(root)}) grants nothing: add a user id, e.g. ${root}.<user_id>`);
  if (!USER_ID.test(userId)) return fail(`invalid user id ${show(userId)}: use letters, digits, "_" or "-" (at most 64)`);
  if (resource === undefined) return { ok: true, root, userId, level: 'user' };

  if (!isScopeResource(root, resource)) return fail(unknownName(`resource for ${root}`, resource, resourcesOf(root)));
  if (id === undefined) return { ok: true, root, userId, resource, level: 'resource' };

  if (!RESOURCE_ID.test(id)) return fail(`invalid id ${show(id)}: use letters, digits, "_" or "-" (at most 128)`);
  return { ok: true, root, userId, resource, id, level: 'id' };
}

function unknownName(what: string, value: string, expected: readonly string[]): string {
  const lower = value.toLowerCase();
  const hint = lower !== value && expected.includes(lower) ? `: scopes are case-sensitive, did you mean ${show(lower)}?` : '';
  return `unknown ${what} ${show(value)}${hint || `: expected one of ${expected.join(', ')}`}`;
}
