import { Link } from 'react-router-dom';

export function NotFoundPage() {
  return (
    <div className="page centered-page">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
      <p>
        <Link to="/">Go to the overview</Link>
      </p>
    </div>
  );
}
