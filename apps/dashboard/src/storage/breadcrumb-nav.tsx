import { Link } from 'react-router-dom';
import { breadcrumbs } from './folder-path';

/** Where in the namespace the browser is; each folder above is a link, the current one is marked (WAI-ARIA breadcrumb). */
export function BreadcrumbNav({ namespace, prefix, hrefOf }: { namespace: string; prefix: string; hrefOf: (prefix: string) => string }) {
  const crumbs = breadcrumbs(namespace, prefix);
  return (
    <nav aria-label="Folder path" className="breadcrumb">
      <ol>
        {crumbs.map((crumb, index) => (
          <li key={crumb.prefix}>
            {index === crumbs.length - 1 ? (
              <span aria-current="page">{crumb.label}</span>
            ) : (
              <Link to={hrefOf(crumb.prefix)}>{crumb.label}</Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
