import type { Section } from './sections';

/** A section whose service is not built yet says so: no placeholder data. */
export function ServiceUnavailablePage({ section }: { section: Section }) {
  return (
    <div className="page">
      <h1>{section.label}</h1>
      <div className="notice notice-info">
        <p>
          <strong>The {section.service} service is not available yet.</strong>
        </p>
        <p className="muted">{section.summary} This section will show it once the service is running on the platform.</p>
      </div>
    </div>
  );
}
