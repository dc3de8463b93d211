/** The services that answer on their own subdomain of the platform domain. */
export const platformServices = ['auth', 'storage', 'compute', 'health', 'notifications', 'docs'] as const;
export type PlatformService = (typeof platformServices)[number];

export interface PlatformUrls extends Record<PlatformService, string> {
  /** The dashboard lives on the base domain itself (`cloud.localhost`); the auth cookie is scoped to it. */
  dashboard: string;
}

export interface PlatformUrlOptions {
  protocol?: 'http' | 'https' | 'http:' | 'https:';
  /** Omitted, empty or the protocol's default port (80/443) -> no port in the URL. */
  port?: number | string;
}

/** Base URLs (no trailing slash) for every service: `platformUrls('cloud.localhost', { port: 18080 }).auth` -> `http://auth.cloud.localhost:18080`. */
export function platformUrls(domain: string, options: PlatformUrlOptions = {}): PlatformUrls {
  const host = domain
    .trim()
    .replace(/^\.+|\.+$/g, '')
    .toLowerCase();
  if (!host || /[/:\s@]/.test(host)) throw new Error(`invalid platform domain: "${domain}"`);
  const protocol = (options.protocol ?? 'http').replace(/:$/, '');
  if (protocol !== 'http' && protocol !== 'https') throw new Error(`invalid protocol: "${options.protocol}"`);
  const port = normalisePort(options.port, protocol);
  const url = (hostname: string) => `${protocol}://${hostname}${port ? `:${port}` : ''}`;

  const urls = { dashboard: url(host) } as PlatformUrls;
  for (const service of platformServices) urls[service] = url(`${service}.${host}`);
  return urls;
}

function normalisePort(port: number | string | undefined, protocol: 'http' | 'https'): string {
  if (port === undefined || port === '') return '';
  const value = Number(port);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`invalid port: "${port}"`);
  const isDefault = (protocol === 'http' && value === 80) || (protocol === 'https' && value === 443);
  return isDefault ? '' : String(value);
}
