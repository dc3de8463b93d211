import type { Principal } from '@edd/auth-client';
import { httpErrors, HttpError } from '@edd/http';
import type { Request } from 'express';
import { isLevelName } from '../entries/log-entry';
import type { LevelName } from '../entries/log-entry';

const SOURCE = /^[a-zA-Z0-9._-]{1,128}$/;
export const MAX_TEXT_CHARS = 200;

/** The caller, behind requireLogsRead / requireLiveAuth (a 401 if a route forgot its guard). */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new HttpError('unauthenticated');
  return req.principal;
}

/** An admin's session reads every entry; anyone else (API tokens included) only entries about their own containers. */
export const ownerScope = (principal: Principal): string | undefined => (principal.isAdmin ? undefined : principal.userId);

function single(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw httpErrors.badRequest(`${name}: give it once`);
  return value;
}

export function sourceParam(req: Request): string | undefined {
  const source = single(req, 'source');
  if (source !== undefined && !SOURCE.test(source))
    throw httpErrors.badRequest('source: 1 to 128 characters of A-Z, a-z, 0-9, ".", "_" and "-"');
  return source;
}

export function levelParam(req: Request): LevelName | undefined {
  const level = single(req, 'level')?.toUpperCase();
  if (level !== undefined && !isLevelName(level)) throw httpErrors.badRequest('level: DEBUG, INFO, WARN or ERROR');
  return level;
}

export function textParam(req: Request): string | undefined {
  const text = single(req, 'q');
  if (text !== undefined && text.length > MAX_TEXT_CHARS) throw httpErrors.badRequest(`q: at most ${MAX_TEXT_CHARS} characters`);
  return text;
}

/** An ISO 8601 time or Unix milliseconds. */
export function timeParam(req: Request, name: string): number | undefined {
  const raw = single(req, name);
  if (raw === undefined) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) throw httpErrors.badRequest(`${name}: an ISO 8601 time or Unix milliseconds`);
  return ms;
}

export function limitParam(req: Request, fallback: number, max: number): number {
  const raw = single(req, 'limit');
  if (raw === undefined) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw httpErrors.badRequest(`limit: an integer from 1 to ${max}`);
  return limit;
}
