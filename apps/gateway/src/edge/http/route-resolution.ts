import { keepsPath } from '@edd/route-registry';
import { containerIdOf, type EdgeContext, type ListenerInfo } from '../context';
import type { EdgeRoute } from '../types';
import { flattened } from './flattened';
import { isInternalPath } from './internal-path';
import type { RequestHead } from './request-head';
import { EDGE_ERRORS, type EdgeError } from './responses';
import type { UpstreamTarget } from './upstream-pool';

/** Where a request goes: an upstream, a local answer (404/502), or an HTTPS redirect. */
export type Resolution =
  | { kind: 'proxy'; target: UpstreamTarget; upstreamPath: string; label: string; userContent?: true }
  | { kind: 'local'; error: EdgeError; label: string }
  | { kind: 'redirect'; location: string };

const routeLabels = new WeakMap<EdgeRoute, string>();
/** The route labelOf saw last and its label: requests come in runs to one route, and an object compares for free. */
let lastLabelled: EdgeRoute | undefined;
let lastLabel = '';

/** Metrics/access-log label of a route: host + prefix, computed once per route object. */
function labelOf(route: EdgeRoute): string {
  if (route === lastLabelled) return lastLabel;
  let label = routeLabels.get(route);
  if (label === undefined) {
    label = flattened(`${route.host}${route.pathPrefix}`);
    routeLabels.set(route, label);
  }
  lastLabelled = route;
  lastLabel = label;
  return label;
}

function isCoreHost(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** The last host containerIdOf said was no container's (and the suffix it used): hosts come in runs, compared by identity. */
let lastPlainHost = '';
let lastSuffix = '';

/**
 * Routing rules in order: `<id>.compute.<domain>` hosts go to the container's ingress rule for this
 * listener's external port; ingress ports serve nothing else; plain HTTP to a platform host may be
 * redirected to HTTPS; `/internal/*` is refused (404) on every routed host; everything else goes through the route
 * table (Host without port, path without query). Container hosts are user content: their paths are their own.
 */
export function resolveRequest(ctx: EdgeContext, listener: ListenerInfo, req: RequestHead): Resolution {
  const host = req.host;
  const suffix = ctx.containerSuffix;
  const containerId = host === lastPlainHost && suffix === lastSuffix ? undefined : containerIdOf(host, suffix);
  if (containerId === undefined) {
    lastPlainHost = host;
    lastSuffix = suffix;
  }
  if (containerId !== undefined) {
    const ingress = ctx.containers.lookup(containerId, listener.externalPort);
    if (!ingress || ingress.protocol !== 'http') return { kind: 'local', error: EDGE_ERRORS.noContainerIngress, label: 'container' };
    return {
      kind: 'proxy',
      target: ctx.pool.targetForAddress(ingress.host, ingress.port),
      upstreamPath: req.target,
      label: 'container',
      userContent: true,
    };
  }
  if (listener.ingress) return { kind: 'local', error: EDGE_ERRORS.noRoute, label: 'none' };
  const s = ctx.settings;
  if (listener.plainMain && s.httpsRedirect && ctx.secureContext && isCoreHost(req.host, s.domain) && req.path !== '/healthz') {
    const port = s.httpsPublicPort === 443 ? '' : `:${s.httpsPublicPort}`;
    return { kind: 'redirect', location: `https://${req.host}${port}${req.target}` };
  }
  // Services' internal routes are for each other, never for the public (as the service would see the path).
  if (req.pathMayBeInternal && isInternalPath(req.path)) return { kind: 'local', error: EDGE_ERRORS.noRoute, label: 'none' };
  // The parsers split the target: req.path has no query, and req.query is added back below.
  const match = ctx.routes.matchPath(req.host, req.path);
  // A route that keeps the path passes the one just checked: only a stripped prefix leaves a new path to check.
  if (!match || (match.upstreamPath !== req.path && isInternalPath(match.upstreamPath)))
    return { kind: 'local', error: EDGE_ERRORS.noRoute, label: 'none' };
  const label = labelOf(match.route);
  const target = ctx.pool.targetFor(match.route.target);
  if (!target) return { kind: 'local', error: EDGE_ERRORS.invalidRouteTarget, label };
  // A kept path goes upstream as the target the client sent (the same string: heads.ts then forwards its start line).
  const upstreamPath = keepsPath(match.route) ? req.target : req.query ? match.upstreamPath + req.query : match.upstreamPath;
  return { kind: 'proxy', target, upstreamPath, label };
}
