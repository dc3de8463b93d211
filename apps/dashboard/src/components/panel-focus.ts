import { useLayoutEffect, type RefObject } from 'react';

/**
 * A control that goes away while it has the focus (a revoked token's row, a dismissed secret) would drop the focus
 * to <body>, so the heading of its panel takes it instead. The cleanup notes the focus and the panel while the
 * element is still attached, and acts only once it is really detached (StrictMode's rehearsal unmount keeps it).
 */
export function useFocusPanelWhenRemoved(element: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const current = element.current;
    return () => {
      if (!current?.contains(document.activeElement)) return;
      const heading = current.closest('section')?.querySelector<HTMLElement>('h2[tabindex="-1"]');
      queueMicrotask(() => {
        if (!current.isConnected) heading?.focus();
      });
    };
  }, [element]);
}
