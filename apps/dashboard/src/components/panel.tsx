import type { ReactNode } from 'react';

/** A titled card; its heading names the region for assistive tech. */
export function Panel({
  title,
  description,
  children,
  actions,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className="panel" aria-labelledby={id}>
      <header className="panel-header">
        <div>
          {/* Focusable by script: it takes the focus when the control that had it is removed (see ConfirmButton). */}
          <h2 id={id} tabIndex={-1}>
            {title}
          </h2>
          {description && <p className="muted">{description}</p>}
        </div>
        {actions}
      </header>
      {children}
    </section>
  );
}
