import { HttpError } from '@edd/http';
import { describe, expect, it } from 'vitest';
import { isTransferId, readTransferId } from './transfer-id';

describe('readTransferId', () => {
  it.each([
    [undefined, undefined, undefined],
    ['abcd1234', undefined, 'abcd1234'],
    [undefined, 'abcd1234', 'abcd1234'],
    ['abcd1234', 'abcd1234', 'abcd1234'],
    ['0b5cb5a4-6f3b-4bb5-9d43-5e1f0a0f6c1e', undefined, '0b5cb5a4-6f3b-4bb5-9d43-5e1f0a0f6c1e'],
    ['A_b-C_d-', undefined, 'A_b-C_d-'],
    ['x'.repeat(64), undefined, 'x'.repeat(64)],
  ])('query %j, header %j → %j', (query, header, expected) => {
    expect(readTransferId(query, header)).toBe(expected);
  });

  it.each([
    ['', undefined, 'id'],
    ['short', undefined, 'id'],
    ['x'.repeat(65), undefined, 'id'],
    ['abcd 1234', undefined, 'id'],
    ['abcd1234\r\nX: y', undefined, 'id'],
    ['abcd/1234', undefined, 'id'],
    ['abcd.1234', undefined, 'id'],
    ['abcd:1234', undefined, 'id'],
    ['abcd*1234', undefined, 'id'],
    ['abcd%201234', undefined, 'id'],
    ['ábcd1234', undefined, 'id'],
    ['abcd1234\u0000', undefined, 'id'],
    [['abcd1234', 'efgh5678'], undefined, 'id', 'more than once'],
    [{ nested: 'abcd1234' }, undefined, 'id'],
    [12345678, undefined, 'id'],
    [undefined, 'bad id!', 'X-Transfer-Id'],
    [undefined, ['abcd1234', 'abcd1234'], 'X-Transfer-Id', 'more than once'],
    ['abcd1234', 'efgh5678', 'X-Transfer-Id', 'different transfers'],
  ])('refuses query %j with header %j, naming %s', (query, header, field, problem = 'must be 8 to 64') => {
    let error: unknown;
    try {
      readTransferId(query, header);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HttpError);
    const http = error as HttpError;
    expect(http.status).toBe(400);
    expect(http.code).toBe('invalid_request');
    expect(http.details?.[0]?.path).toBe(field);
    expect(http.message).toContain(problem);
  });
});

describe('isTransferId', () => {
  it('accepts only well-formed ids', () => {
    expect(isTransferId('abcd1234')).toBe(true);
    expect(isTransferId('abcd')).toBe(false);
    expect(isTransferId(undefined)).toBe(false);
    expect(isTransferId(['abcd1234'])).toBe(false);
  });
});
