/**
 * Requests to user containers (`<id>.compute.<domain>`) are user content: the platform's session cookie
 * (`token`, set on the whole domain so every service sees it) must never reach code a user deployed, or
 * any container could act as whoever visits it. The cookie is cut from the forwarded Cookie field; the
 * container's own cookies pass untouched. Authorization is left alone: a client sends that one on purpose.
 */
const SESSION_COOKIE = 'token';

function withoutSessionCookie(value: string): string {
  return value
    .split(';')
    .filter((pair) => {
      const eq = pair.indexOf('=');
      const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
      return name !== SESSION_COOKIE;
    })
    .map((pair) => pair.trim())
    .join('; ');
}

/** `lines` ("Name: value\r\n" each) with the session cookie removed from every Cookie field. */
export function stripPlatformSession(lines: string): string {
  if (!/(?:^|\n)cookie:/i.test(lines)) return lines;
  return lines
    .split('\r\n')
    .map((line) => {
      if (!/^cookie:/i.test(line)) return line;
      const kept = withoutSessionCookie(line.slice(line.indexOf(':') + 1));
      return kept ? `Cookie: ${kept}` : undefined;
    })
    .filter((line): line is string => line !== undefined)
    .join('\r\n');
}
