import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeForStatus, errorBodySchema, errorCatalogue, errorCodes, isErrorCode, statusOf } from '../src';

const DOC = fileURLToPath(new URL('../../../docs/api/errors.md', import.meta.url));

interface DocumentedCode {
  code: string;
  status: number;
  message: string;
}

/** The rows of the catalogue table: | `code` | status | `default message` | when |. */
function documentedCodes(markdown: string): DocumentedCode[] {
  const rows: DocumentedCode[] = [];
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`([^`]+)`\s*\|\s*(\d{3})\s*\|\s*`([^`]*)`\s*\|\s*\S.*\|\s*$/.exec(line);
    if (match) rows.push({ code: match[1]!, status: Number(match[2]), message: match[3]! });
  }
  return rows;
}

describe('the error catalogue and docs/api/errors.md', () => {
  const documented = documentedCodes(readFileSync(DOC, 'utf8'));
  const exported = errorCodes.map((code) => ({ code, status: errorCatalogue[code].status, message: errorCatalogue[code].message }));

  it('documents every exported code with its status and default message', () => {
    for (const entry of exported) expect(documented, entry.code).toContainEqual(entry);
  });

  it('documents no code the catalogue does not export, and none twice', () => {
    for (const entry of documented) expect(exported, entry.code).toContainEqual(entry);
    expect(new Set(documented.map((entry) => entry.code)).size).toBe(documented.length);
  });
});

describe('error codes', () => {
  it('are snake_case and answer with an error status', () => {
    for (const code of errorCodes) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(statusOf(code)).toBeGreaterThanOrEqual(400);
      expect(statusOf(code)).toBeLessThan(600);
    }
  });

  it('recognises only catalogue codes, not inherited object keys', () => {
    expect(isErrorCode('not_found')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('NOT_FOUND')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });

  it('maps a bare status to the generic code of that status', () => {
    expect(codeForStatus(400)).toBe('invalid_request');
    expect(codeForStatus(401)).toBe('unauthenticated');
    expect(codeForStatus(403)).toBe('forbidden');
    expect(codeForStatus(404)).toBe('not_found');
    expect(codeForStatus(405)).toBe('method_not_allowed');
    expect(codeForStatus(408)).toBe('request_timeout');
    expect(codeForStatus(413)).toBe('payload_too_large');
    expect(codeForStatus(415)).toBe('unsupported_media_type');
    expect(codeForStatus(429)).toBe('rate_limited');
    expect(codeForStatus(431)).toBe('headers_too_large');
    expect(codeForStatus(501)).toBe('not_implemented');
    expect(codeForStatus(502)).toBe('bad_gateway');
    expect(codeForStatus(503)).toBe('unavailable');
    expect(codeForStatus(504)).toBe('gateway_timeout');
    expect(codeForStatus(416)).toBe('invalid_request');
    expect(codeForStatus(507)).toBe('internal');
  });

  it('describes the wire body: unknown codes and missing wording are refused', () => {
    expect(errorBodySchema.safeParse({ error: 'not found', code: 'not_found' }).success).toBe(true);
    expect(
      errorBodySchema.safeParse({ error: 'x', code: 'invalid_request', details: [{ path: 'name', message: 'Required' }] }).success,
    ).toBe(true);
    expect(errorBodySchema.safeParse({ error: 'x', code: 'teapot' }).success).toBe(false);
    expect(errorBodySchema.safeParse({ code: 'not_found' }).success).toBe(false);
  });
});
