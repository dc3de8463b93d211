import { useEffect, useRef, type RefObject } from 'react';
import { useLocation } from 'react-router-dom';

const APP_NAME = 'edd cloud';

/**
 * After a client-side navigation nothing tells a screen reader the page changed, and the keyboard focus stays on
 * the link that was followed. So on every new path (not on the first load) focus moves to the main region, and
 * the tab's title follows the page's <h1> (WCAG 2.4.2, 2.4.3).
 */
export function useRouteFocus(main: RefObject<HTMLElement | null>): void {
  const { pathname } = useLocation();
  // The path focus was last moved for (a ref, not a first-run flag: StrictMode runs effects twice on mount).
  const focusedFor = useRef(pathname);
  useEffect(() => {
    const heading = main.current?.querySelector('h1')?.textContent?.trim();
    document.title = heading ? `${heading} · ${APP_NAME}` : APP_NAME;
    if (focusedFor.current === pathname) return;
    focusedFor.current = pathname;
    main.current?.focus();
  }, [pathname, main]);
}
