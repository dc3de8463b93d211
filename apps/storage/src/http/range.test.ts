import { HttpError } from '@edd/http';
import { describe, expect, it } from 'vitest';
import { etagForSha256 } from './entity-tag';
import { formatHttpDate } from './http-date';
import { contentRange, evaluateRange, MAX_RANGES, parseRange, rangeNotSatisfiable } from './range';

const partial = (...pairs: [number, number][]) => ({ kind: 'partial', ranges: pairs.map(([start, end]) => ({ start, end })) });
const FULL = { kind: 'full' };
const UNSATISFIABLE = { kind: 'unsatisfiable' };

describe('parseRange on a 1,000-byte file', () => {
  it.each([
    ['bytes=0-499', partial([0, 499])],
    ['bytes=500-999', partial([500, 999])],
    ['bytes=0-0', partial([0, 0])],
    ['bytes=999-999', partial([999, 999])],
    ['bytes=500-', partial([500, 999])],
    ['bytes=0-', partial([0, 999])],
    ['bytes=-1', partial([999, 999])],
    ['bytes=-500', partial([500, 999])],
    ['bytes=-1000', partial([0, 999])],
    ['bytes=-5000', partial([0, 999])],
    ['bytes=900-5000', partial([900, 999])],
    ['bytes=0-99999999999999999999999', partial([0, 999])],
    ['bytes=0000-0009', partial([0, 9])],
    ['BYTES=0-9', partial([0, 9])],
    ['Bytes=0-9', partial([0, 9])],
    // lists, whitespace and empty elements (RFC 9110 §5.6.1)
    ['bytes=0-9,20-29', partial([0, 9], [20, 29])],
    ['bytes=0-9, 20-29', partial([0, 9], [20, 29])],
    ['bytes= 0-9 ,\t20-29 ', partial([0, 9], [20, 29])],
    ['bytes=0-9,,20-29,', partial([0, 9], [20, 29])],
    ['bytes=,0-9', partial([0, 9])],
    // kept in the client's order when they do not touch
    ['bytes=500-599,0-99', partial([500, 599], [0, 99])],
    ['bytes=-100,0-99', partial([900, 999], [0, 99])],
    // overlapping and adjacent ranges merged, in the place of the earliest one asked for
    ['bytes=0-499,400-999', partial([0, 999])],
    ['bytes=0-9,10-19', partial([0, 19])],
    ['bytes=0-9,11-19', partial([0, 9], [11, 19])],
    ['bytes=500-599,0-99,550-700', partial([500, 700], [0, 99])],
    ['bytes=0-99,0-99,0-99', partial([0, 99])],
    ['bytes=0-,-1', partial([0, 999])],
    ['bytes=800-899,100-199,150-850', partial([100, 899])],
    // unsatisfiable parts are dropped when another part is satisfiable
    ['bytes=1000-1999,0-9', partial([0, 9])],
    ['bytes=-0,0-9', partial([0, 9])],
  ])('%j → %j', (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });

  it.each([
    ['bytes=1000-', UNSATISFIABLE],
    ['bytes=1000-1000', UNSATISFIABLE],
    ['bytes=5000-6000', UNSATISFIABLE],
    ['bytes=-0', UNSATISFIABLE],
    ['bytes=1000-,2000-', UNSATISFIABLE],
    ['bytes=99999999999999999999-', UNSATISFIABLE],
  ])('%j is unsatisfiable (416)', (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });

  it.each([
    '',
    'bytes',
    'bytes=',
    'bytes=,',
    'bytes=,,',
    'bytes=-',
    'bytes=a-b',
    'bytes=1-a',
    'bytes=--1',
    'bytes=1--2',
    'bytes=-1-2',
    'bytes=1 - 2',
    'bytes=1-2-3',
    'bytes=0x10-20',
    'bytes=1e3-',
    'bytes=+1-2',
    'bytes=1.5-2',
    'bytes=٣-٤',
    'bytes=9-5',
    'bytes=0-9,9-5',
    'bytes=99999999999999999999-99999999999999999998',
    'bytes 0-9',
    'bytes:0-9',
    'bytes =0-9',
    '=0-9',
    'items=0-9',
    'none=0-9',
    'bytes=0-9;20-29',
    'bytes=0-9 20-29',
    'bytes=0-9\r\nX-Injected: 1',
    'bytes=0-9, bytes=20-29',
  ])('%j is invalid: ignored (200)', (header) => {
    expect(parseRange(header, 1000)).toEqual(FULL);
  });
});

describe('the cap on range-specs', () => {
  const specs = (count: number) => 'bytes=' + Array.from({ length: count }, (_, i) => `${i * 10}-${i * 10 + 4}`).join(',');

  it(`serves up to ${MAX_RANGES} ranges`, () => {
    const decision = parseRange(specs(MAX_RANGES), 1000);
    expect(decision.kind).toBe('partial');
    expect(decision.kind === 'partial' && decision.ranges.length).toBe(MAX_RANGES);
  });

  it('ignores a header with more (200, RFC 9110 §14.2 and §17.15), even when they would merge', () => {
    expect(parseRange(specs(MAX_RANGES + 1), 1000)).toEqual(FULL);
    expect(
      parseRange(
        'bytes=' +
          Array(MAX_RANGES + 1)
            .fill('0-0')
            .join(','),
        1000,
      ),
    ).toEqual(FULL);
    expect(parseRange('bytes=' + Array(100_000).fill('0-').join(','), 1000)).toEqual(FULL);
  });

  it('does not count empty list elements', () => {
    expect(parseRange('bytes=0-0' + ','.repeat(1000), 1000)).toEqual(partial([0, 0]));
  });
});

describe('parseRange on an empty file', () => {
  it.each([
    ['bytes=-1', FULL],
    ['bytes=-500', FULL],
    ['bytes=0-', UNSATISFIABLE],
    ['bytes=0-0', UNSATISFIABLE],
    ['bytes=-0', UNSATISFIABLE],
    ['bytes=x', FULL],
  ])('%j → %j', (header, expected) => {
    expect(parseRange(header, 0)).toEqual(expected);
  });
});

describe('evaluateRange', () => {
  const etag = etagForSha256('c'.repeat(64));
  const lastModified = Date.UTC(2026, 0, 10, 12, 0, 0, 250);
  const file = { etag, lastModified, size: 100 };
  const now = lastModified + 60_000;
  const get = (headers: Record<string, string>, method = 'GET', at = now) => evaluateRange({ method, headers }, file, at);

  it('applies Range to GET only (RFC 9110 §14.2)', () => {
    expect(get({ range: 'bytes=0-9' })).toEqual(partial([0, 9]));
    for (const method of ['HEAD', 'POST', 'PUT', 'DELETE']) expect(get({ range: 'bytes=0-9' }, method)).toEqual(FULL);
    expect(get({})).toEqual(FULL);
  });

  it('reads a repeated Range header as one list, which is then invalid (two units)', () => {
    expect(evaluateRange({ method: 'GET', headers: { range: ['bytes=0-9', 'bytes=20-29'] } }, file, now)).toEqual(FULL);
  });

  it('ignores If-Range without Range', () => {
    expect(get({ 'if-range': '"nope"' })).toEqual(FULL);
  });

  it.each([
    [etag, partial([0, 9])],
    [` ${etag} `, partial([0, 9])],
    [`W/${etag}`, FULL],
    [etagForSha256('d'.repeat(64)), FULL],
    [`${etag}, ${etag}`, FULL],
    ['"unterminated', FULL],
    [formatHttpDate(lastModified), partial([0, 9])],
    [formatHttpDate(lastModified - 1000), FULL],
    [formatHttpDate(lastModified + 1000), FULL],
    ['Saturday, 10-Jan-26 12:00:00 GMT', partial([0, 9])],
    ['yesterday', FULL],
    ['', FULL],
  ])('If-Range %j → %j', (ifRange, expected) => {
    expect(get({ range: 'bytes=0-9', 'if-range': ifRange })).toEqual(expected);
  });

  it('treats a date as weak while the file changed in the current second (RFC 9110 §8.8.2.2)', () => {
    const sameSecond = lastModified + 500;
    expect(get({ range: 'bytes=0-9', 'if-range': formatHttpDate(lastModified) }, 'GET', sameSecond)).toEqual(FULL);
    expect(get({ range: 'bytes=0-9', 'if-range': etag }, 'GET', sameSecond)).toEqual(partial([0, 9]));
  });

  it('answers unsatisfiable past the end even when If-Range holds', () => {
    expect(get({ range: 'bytes=100-', 'if-range': etag })).toEqual(UNSATISFIABLE);
  });
});

describe('contentRange and rangeNotSatisfiable', () => {
  it('write the Content-Range values', () => {
    expect(contentRange({ start: 0, end: 99 }, 1000)).toBe('bytes 0-99/1000');
    const error = rangeNotSatisfiable(1000);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(416);
    expect(error.code).toBe('range_not_satisfiable');
    expect(error.headers).toEqual({ 'Content-Range': 'bytes */1000' });
  });
});
