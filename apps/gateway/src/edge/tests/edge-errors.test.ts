import { errorBodySchema, statusOf } from '@edd/api-contracts';
import { describe, expect, it } from 'vitest';
import { EDGE_ERRORS, jsonErrorResponse, PARSE_ERRORS, upstreamUnavailable, type EdgeError } from '../http/responses';

const DATE = 'Thu, 01 Jan 1970 00:00:00 GMT';

const answers: Array<[string, EdgeError]> = [
  ...Object.entries(EDGE_ERRORS),
  ['upstreamUnavailable(ECONNREFUSED)', upstreamUnavailable('ECONNREFUSED')],
];

function split(wire: Buffer): { head: string; body: string } {
  const text = wire.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  return { head: text.slice(0, end), body: text.slice(end + 4) };
}

describe("the edge's own error answers", () => {
  it.each(answers)('%s: {"error","code"} body, with the status the catalogue gives its code', (_name, error) => {
    const { head, body } = split(jsonErrorResponse(error, DATE, 'req-1', false));
    expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${statusOf(error.code)} [A-Z]`));
    expect(error.status).toBe(statusOf(error.code));
    expect(errorBodySchema.parse(JSON.parse(body))).toEqual({ error: error.message, code: error.code });
    expect(head).toContain(`\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`);
    expect(head).toContain('\r\nContent-Type: application/json\r\n');
    expect(head).toContain(`\r\nDate: ${DATE}\r\nX-Request-ID: req-1\r\nConnection: keep-alive`);
  });

  it('answers a refused request head with the status the parser chose', () => {
    for (const [status, error] of Object.entries(PARSE_ERRORS)) expect(error.status).toBe(Number(status));
  });

  it('leaves out the request id when there is none and says when it closes', () => {
    const { head } = split(jsonErrorResponse(EDGE_ERRORS.headTooLarge, DATE, '', true));
    expect(head).not.toContain('X-Request-ID');
    expect(head).toMatch(/\r\nConnection: close$/);
  });

  it("renders a socket error's 502 once per errno code", () => {
    expect(upstreamUnavailable('ECONNRESET')).toBe(upstreamUnavailable('ECONNRESET'));
    expect(upstreamUnavailable('ECONNRESET').message).toBe('upstream unavailable (ECONNRESET)');
    expect(upstreamUnavailable(undefined)).toBe(EDGE_ERRORS.upstreamUnavailable);
  });
});
