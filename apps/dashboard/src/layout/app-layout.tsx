import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useCurrentUser, useSignOut } from '../api/session-queries';
import { NotificationBell } from '../notifications/notification-bell';
import { NotificationToasts } from '../notifications/notification-toast';
import { serviceSections } from '../pages/sections';
import { useRouteFocus } from './route-focus';

export function AppLayout() {
  const user = useCurrentUser();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  useRouteFocus(main);

  // On a phone the menu covers the page: close it whenever a link was followed.
  useEffect(() => setMenuOpen(false), [location.pathname]);

  const links = [
    ...serviceSections.map((s) => ({ to: s.path, label: s.label })),
    { to: '/health/logs', label: 'Logs' },
    { to: '/settings', label: 'Settings' },
    ...(user.is_admin ? [{ to: '/admin', label: 'Admin' }] : []),
  ];

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" /> edd cloud
        </Link>
        <button
          ref={menuButton}
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? 'Close menu' : 'Menu'}
        </button>
        <div className="user-box">
          <NotificationBell />
          <span className="user-name" title={user.username} data-testid="current-user">
            {user.display_name || user.username}
          </span>
          <button
            type="button"
            className="button button-secondary"
            disabled={signOut.isPending}
            onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/sign-in', { replace: true }) })}
          >
            {signOut.isPending ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </header>
      <div className="shell">
        <nav
          id="main-nav"
          className={`sidebar ${menuOpen ? 'open' : ''}`}
          aria-label="Main"
          onKeyDown={(event) => {
            if (!menuOpen || event.key !== 'Escape') return;
            setMenuOpen(false);
            menuButton.current?.focus();
          }}
        >
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} className="nav-link">
                  {link.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="content" tabIndex={-1} ref={main}>
          <Outlet />
        </main>
      </div>
      <NotificationToasts />
    </div>
  );
}
