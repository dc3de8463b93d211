import { HttpError } from '@edd/http';
import { describe, expect, it } from 'vitest';
import { evaluatePreconditions, preconditionFailed, type Validators } from './conditional';
import { etagForSha256 } from './entity-tag';
import { formatHttpDate } from './http-date';

const ETAG = etagForSha256('a'.repeat(64));
const OTHER = etagForSha256('b'.repeat(64));
const MODIFIED = Date.UTC(2026, 0, 10, 12, 0, 0, 500);
const FILE: Validators = { etag: ETAG, lastModified: MODIFIED };
const AT = formatHttpDate(MODIFIED); // the same second, as a client would echo Last-Modified
const BEFORE = formatHttpDate(MODIFIED - 1000);
const AFTER = formatHttpDate(MODIFIED + 1000);

function evaluate(method: string, headers: Record<string, string | string[]>, current: Validators | null = FILE) {
  return evaluatePreconditions({ method, headers }, current);
}

describe('If-None-Match (weak comparison)', () => {
  it.each([
    [ETAG, 'not-modified'],
    [`W/${ETAG}`, 'not-modified'],
    [`${OTHER}, ${ETAG}`, 'not-modified'],
    [`"x", W/${ETAG}, "y"`, 'not-modified'],
    ['*', 'not-modified'],
    [OTHER, 'proceed'],
    [`W/${OTHER}`, 'proceed'],
    ['"a"', 'proceed'],
    ['garbage', 'proceed'],
    [ETAG.slice(1, -1), 'proceed'],
    ['', 'proceed'],
  ])('GET with %j → %s', (value, expected) => {
    expect(evaluate('GET', { 'if-none-match': value })).toBe(expected);
    expect(evaluate('HEAD', { 'if-none-match': value })).toBe(expected);
  });

  it('answers 412 instead of 304 for other methods', () => {
    expect(evaluate('POST', { 'if-none-match': ETAG })).toBe('precondition-failed');
    expect(evaluate('DELETE', { 'if-none-match': '*' })).toBe('precondition-failed');
    expect(evaluate('POST', { 'if-none-match': OTHER })).toBe('proceed');
  });

  it('makes an upload create-only with *: proceeds when there is no file, fails when there is one', () => {
    expect(evaluate('POST', { 'if-none-match': '*' }, null)).toBe('proceed');
    expect(evaluate('POST', { 'if-none-match': '*' })).toBe('precondition-failed');
  });

  it('takes precedence over If-Modified-Since (RFC 9110 §13.1.3)', () => {
    expect(evaluate('GET', { 'if-none-match': OTHER, 'if-modified-since': AFTER })).toBe('proceed');
    expect(evaluate('GET', { 'if-none-match': ETAG, 'if-modified-since': BEFORE })).toBe('not-modified');
  });

  it('reads a repeated header as one list', () => {
    expect(evaluate('GET', { 'if-none-match': [OTHER, ETAG] })).toBe('not-modified');
  });
});

describe('If-Modified-Since (GET and HEAD only)', () => {
  it.each([
    [AT, 'not-modified'],
    [AFTER, 'not-modified'],
    [BEFORE, 'proceed'],
    ['Saturday, 10-Jan-26 12:00:00 GMT', 'not-modified'],
    ['not a date', 'proceed'],
    ['2026-01-10', 'proceed'],
    ['', 'proceed'],
  ])('GET with %j → %s', (value, expected) => {
    expect(evaluate('GET', { 'if-modified-since': value })).toBe(expected);
  });

  it('is ignored for other methods and when there is no file', () => {
    expect(evaluate('POST', { 'if-modified-since': AFTER })).toBe('proceed');
    expect(evaluate('DELETE', { 'if-modified-since': AFTER })).toBe('proceed');
    expect(evaluate('GET', { 'if-modified-since': AFTER }, null)).toBe('proceed');
  });
});

describe('If-Match (strong comparison)', () => {
  it.each([
    [ETAG, 'proceed'],
    [`${OTHER}, ${ETAG}`, 'proceed'],
    ['*', 'proceed'],
    [`W/${ETAG}`, 'precondition-failed'],
    [OTHER, 'precondition-failed'],
    ['garbage', 'precondition-failed'],
    ['', 'precondition-failed'],
  ])('POST with %j → %s', (value, expected) => {
    expect(evaluate('POST', { 'if-match': value })).toBe(expected);
    expect(evaluate('GET', { 'if-match': value })).toBe(expected);
  });

  it('fails, even with *, when there is no file (an overwrite of something that is gone)', () => {
    expect(evaluate('POST', { 'if-match': '*' }, null)).toBe('precondition-failed');
    expect(evaluate('POST', { 'if-match': ETAG }, null)).toBe('precondition-failed');
  });

  it('is evaluated before If-None-Match and makes If-Unmodified-Since irrelevant', () => {
    expect(evaluate('POST', { 'if-match': OTHER, 'if-none-match': OTHER })).toBe('precondition-failed');
    expect(evaluate('POST', { 'if-match': ETAG, 'if-unmodified-since': BEFORE })).toBe('proceed');
    expect(evaluate('GET', { 'if-match': ETAG, 'if-none-match': ETAG })).toBe('not-modified');
  });
});

describe('If-Unmodified-Since', () => {
  it.each([
    [AT, 'proceed'],
    [AFTER, 'proceed'],
    [BEFORE, 'precondition-failed'],
    ['not a date', 'proceed'],
  ])('POST with %j → %s', (value, expected) => {
    expect(evaluate('POST', { 'if-unmodified-since': value })).toBe(expected);
  });

  it('is ignored when there is no file', () => {
    expect(evaluate('POST', { 'if-unmodified-since': BEFORE }, null)).toBe('proceed');
  });
});

describe('no conditional headers', () => {
  it('proceeds', () => {
    expect(evaluate('GET', {})).toBe('proceed');
    expect(evaluate('POST', {}, null)).toBe('proceed');
  });
});

describe('preconditionFailed', () => {
  it('is a 412 precondition_failed', () => {
    const error = preconditionFailed();
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(412);
    expect(error.code).toBe('precondition_failed');
  });
});
