// Ingress rules: which external ports a container may open, and where each one answers.

/** HTTP on the platform's own port, TLS passthrough by SNI, and a range of extra HTTP ports. */
export const INGRESS_HTTP_PORT = 80;
export const INGRESS_TLS_PORT = 443;
export const INGRESS_RANGE = { min: 8000, max: 8999 } as const;

export function isIngressPort(port: number): boolean {
  if (!Number.isInteger(port)) return false;
  return port === INGRESS_HTTP_PORT || port === INGRESS_TLS_PORT || (port >= INGRESS_RANGE.min && port <= INGRESS_RANGE.max);
}

export function isTargetPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/**
 * Where a rule answers: `https://<host>/` for 443 (the container terminates its own TLS), `http://<host>/` for 80,
 * `http://<host>:<port>/` otherwise. `hostname` is the container's `<id>.compute.<domain>`.
 */
export function ingressUrl(hostname: string, port: number): string {
  if (port === INGRESS_TLS_PORT) return `https://${hostname}/`;
  if (port === INGRESS_HTTP_PORT) return `http://${hostname}/`;
  return `http://${hostname}:${port}/`;
}

/** The form's check of an external port, as a sentence (or undefined when it is fine). */
export function ingressPortProblem(port: number): string | undefined {
  if (isIngressPort(port)) return undefined;
  return `External port must be 80, 443 or ${INGRESS_RANGE.min}–${INGRESS_RANGE.max}.`;
}
