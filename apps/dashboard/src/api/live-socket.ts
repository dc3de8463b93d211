import type { PlatformService } from '@edd/api-client';
import { platform } from '../platform/platform-config';
import { authApi } from './clients';
import { liveSocketUrl } from './live-url';

/**
 * Opens a WebSocket to `service` authenticated by a single-use ticket (`POST /api/tickets` with the service as
 * audience, then `?ticket=`): a browser cannot set headers on a WebSocket, and a ticket in a URL is worthless once used.
 */
export async function openLiveSocket(service: PlatformService, path: string, params: Record<string, string> = {}): Promise<WebSocket> {
  const { ticket } = await authApi.issueTicket(service);
  const socket = new WebSocket(liveSocketUrl(platform.urls[service], path, { ...params, ticket }));
  socket.binaryType = 'arraybuffer';
  return socket;
}
