import { z } from 'zod';
import { normalizeHost, normalizePathPrefix } from './route';
import type { Route } from './route';

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;
// Request-target characters only (RFC 9112 §3.2): no query, fragment, space or control characters.
function isPathPrefix(p: string): boolean {
  if (p.charCodeAt(0) !== 47) return false;
  for (let i = 1; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 63 /* ? */ || c === 35 /* # */) return false;
  }
  return true;
}

const hostField = z
  .string()
  .trim()
  .min(1, 'is required')
  .refine((h) => !/:\d*$/.test(h) || /^\[[^\]]*\]$/.test(h), 'must not include a port (the gateway ignores the port)')
  .transform((h) => normalizeHost(h))
  .refine((h) => DNS_NAME.test(h) || IPV6_LITERAL.test(h), 'must be a host name like auth.cloud.localhost');

const pathPrefixField = z
  .string()
  .max(1024, 'is longer than 1024 characters')
  .refine(isPathPrefix, 'must start with "/" and contain no "?", "#", spaces or control characters')
  .transform(normalizePathPrefix);

const targetField = z
  .string()
  .trim()
  .min(1, 'is required')
  .transform((t, ctx) => {
    // `auth-service:80` (the reference manifests' form) means plain HTTP.
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `http://${t}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL like http://127.0.0.1:4001' });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must use http or https' });
    else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain credentials' });
    else if (url.pathname !== '/' || url.search || url.hash)
      ctx.addIssue({ code: 'custom', message: 'must be an origin without path or query (use strip_prefix to rewrite paths)' });
    return `${url.protocol}//${url.host}`;
  });

/** The wire and file form of a route (snake_case, as in `static_routes` and the YAML manifest); unknown keys are errors (typos). */
export const routeInputSchema = z.strictObject({
  host: hostField,
  path_prefix: pathPrefixField,
  target: targetField,
  strip_prefix: z.boolean().default(false),
  priority: z.number().int().min(-1_000_000).max(1_000_000).default(0),
});

export type RouteInput = z.input<typeof routeInputSchema>;

export type RouteValidation = { ok: true; route: Route } | { ok: false; problems: string[] };

/** Validates and normalises one route; problems read `field: message`. */
export function validateRoute(input: unknown): RouteValidation {
  const result = routeInputSchema.safeParse(input);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'route'}: ${issue.message}`),
    };
  }
  const { host, path_prefix, target, strip_prefix, priority } = result.data;
  return { ok: true, route: { host, pathPrefix: path_prefix, target, stripPrefix: strip_prefix, priority } };
}

/** Route -> wire form (what the admin API returns). */
export function routeToJson(route: Route): {
  id?: number;
  host: string;
  path_prefix: string;
  target: string;
  strip_prefix: boolean;
  priority: number;
} {
  return {
    ...(route.id === undefined ? {} : { id: route.id }),
    host: route.host,
    path_prefix: route.pathPrefix,
    target: route.target,
    strip_prefix: route.stripPrefix,
    priority: route.priority,
  };
}
