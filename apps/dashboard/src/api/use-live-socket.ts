import type { PlatformService } from '@edd/api-client';
import { useEffect, useRef, useState } from 'react';
import { openLiveSocket } from './live-socket';
import { followFeed, type FeedState } from './reconnecting-socket';

export type { FeedState } from './reconnecting-socket';

export interface LiveSocketHandlers {
  onMessage(event: MessageEvent): void;
  onOpen?(): void;
  /** Query parameters of each new connection (e.g. `after=` the last id received, to resume). */
  params?(): Record<string, string>;
}

/**
 * Follows `path` of `service` while the calling component is mounted, reconnecting with a growing delay; answers the
 * connection's state. The handlers may change on every render: the latest ones are called.
 */
export function useLiveSocket(service: PlatformService, path: string, handlers: LiveSocketHandlers): FeedState {
  const [state, setState] = useState<FeedState>('connecting');
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(
    () =>
      followFeed({
        open: () => openLiveSocket(service, path, latest.current.params?.() ?? {}),
        onMessage: (event) => latest.current.onMessage(event),
        onOpen: () => latest.current.onOpen?.(),
        onState: setState,
      }),
    [service, path],
  );

  return state;
}
