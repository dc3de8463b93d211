import { platformUrls, type PlatformUrls } from '@edd/api-client';

export interface PlatformConfig {
  domain: string;
  urls: PlatformUrls;
}

interface LocationLike {
  hostname: string;
  protocol: string;
  port: string;
}

/** Where the dashboard lives when opened directly on the dev server (127.0.0.1:4000) instead of the gateway. */
const FALLBACK = { domain: 'cloud.localhost', protocol: 'http', port: '18080' } as const;

/**
 * The dashboard is served on the platform's base domain itself (`cloud.localhost`, `cloud.example.com`) and
 * calls each service on its subdomain. The domain comes from the build (`VITE_EDD_DOMAIN`) when set, else
 * from the page's own host; protocol and port always follow the page, so HTTP and HTTPS both work.
 */
export function resolvePlatform(location: LocationLike, buildDomain?: string): PlatformConfig {
  const opened = location.hostname.toLowerCase();
  const direct = opened === 'localhost' || /^[\d.]+$/.test(opened) || opened.startsWith('[');
  if (direct) {
    // The cookie lives on the platform domain, so talk to the gateway even when the page itself is not behind it.
    const domain = buildDomain || FALLBACK.domain;
    return { domain, urls: platformUrls(domain, { protocol: FALLBACK.protocol, port: FALLBACK.port }) };
  }
  const domain = buildDomain || opened;
  return { domain, urls: platformUrls(domain, { protocol: location.protocol as 'http:' | 'https:', port: location.port }) };
}

export const platform: PlatformConfig =
  typeof window === 'undefined'
    ? resolvePlatform({ hostname: FALLBACK.domain, protocol: 'http:', port: FALLBACK.port }, import.meta.env.VITE_EDD_DOMAIN)
    : resolvePlatform(window.location, import.meta.env.VITE_EDD_DOMAIN);
