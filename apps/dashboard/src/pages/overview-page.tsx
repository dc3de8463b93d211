import { Link } from 'react-router-dom';
import { useCurrentUser } from '../api/session-queries';
import { serviceSections } from './sections';

export function OverviewPage() {
  const user = useCurrentUser();
  return (
    <div className="page">
      <h1>Welcome, {user.display_name || user.username}</h1>
      <ul className="tile-grid">
        {serviceSections.map((section) => (
          <li key={section.path} className="tile">
            <h2>
              <Link to={section.path}>{section.label}</Link>
            </h2>
            <p className="muted">{section.summary}</p>
            {!section.available && <span className="badge badge-muted">Not available yet</span>}
          </li>
        ))}
        <li className="tile">
          <h2>
            <Link to="/settings/tokens">API tokens</Link>
          </h2>
          <p className="muted">Scoped tokens for scripts and CI, and service accounts.</p>
        </li>
      </ul>
    </div>
  );
}
