import { Link, useLocation } from 'react-router-dom';

export interface SectionTab {
  to: string;
  label: string;
  /** When the tab is the current one; by default its path and everything below it (`end`: the path alone). */
  active?: (pathname: string) => boolean;
  end?: boolean;
}

function isCurrent(tab: SectionTab, pathname: string): boolean {
  if (tab.active) return tab.active(pathname);
  const path = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname;
  return tab.end ? path === tab.to : path === tab.to || path.startsWith(`${tab.to}/`);
}

/** A section's tab bar: links, the current one marked for the eye (`active`) and for screen readers (`aria-current`). */
export function SectionTabs({ label, tabs }: { label: string; tabs: readonly SectionTab[] }) {
  const { pathname } = useLocation();
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => {
        const current = isCurrent(tab, pathname);
        return (
          <Link key={tab.to} to={tab.to} className={`tab ${current ? 'active' : ''}`} aria-current={current ? 'page' : undefined}>
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
