import type { DocPage } from './library';
import { escapeHtml } from './render';

/** The HTML page around a rendered document: sidebar index on the left, content on the right. */
export function pageHtml(options: { title: string; body: string; pages: readonly DocPage[]; current?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · edd-cloud docs</title>
<link rel="stylesheet" href="/assets/docs.css">
</head>
<body>
<nav class="sidebar" aria-label="Documentation">
<a class="brand" href="/">edd-cloud docs</a>
${sidebar(options.pages, options.current)}
</nav>
<main>
${options.body}
</main>
</body>
</html>
`;
}

function sidebar(pages: readonly DocPage[], current: string | undefined): string {
  const sections = new Map<string, DocPage[]>();
  for (const page of pages) sections.set(page.section, [...(sections.get(page.section) ?? []), page]);
  return [...sections]
    .map(([section, list]) => {
      const heading = section ? `<h2>${escapeHtml(section)}</h2>\n` : '';
      const items = list
        .map((page) => {
          const attrs = page.slug === current ? ' aria-current="page"' : '';
          return `<li><a href="/${encodeURI(page.slug)}"${attrs}>${escapeHtml(page.title)}</a></li>`;
        })
        .join('\n');
      return `${heading}<ul>\n${items}\n</ul>`;
    })
    .join('\n');
}

export const STYLESHEET = `
:root { color-scheme: light dark; --accent: #2563eb; --muted: #6b7280; --border: #e5e7eb; }
* { box-sizing: border-box; }
body { margin: 0; display: flex; min-height: 100vh; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; }
.sidebar { flex: 0 0 16rem; padding: 1.5rem 1rem; border-right: 1px solid var(--border); }
.sidebar .brand { display: block; font-weight: 700; margin-bottom: 1rem; text-decoration: none; color: inherit; }
.sidebar h2 { font-size: .75rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 1rem 0 .25rem; }
.sidebar ul { list-style: none; padding: 0; margin: 0; }
.sidebar a { color: inherit; text-decoration: none; display: block; padding: .15rem .5rem; border-radius: .25rem; }
.sidebar a[aria-current="page"], .sidebar a:hover, .sidebar a:focus-visible { background: rgba(37, 99, 235, .12); color: var(--accent); }
main { flex: 1; min-width: 0; max-width: 52rem; padding: 1.5rem 2rem 4rem; }
main a { color: var(--accent); }
pre { overflow-x: auto; padding: .75rem 1rem; border-radius: .375rem; background: rgba(127, 127, 127, .12); }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; }
table { border-collapse: collapse; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--border); padding: .3rem .6rem; text-align: left; vertical-align: top; }
@media (max-width: 720px) {
  body { flex-direction: column; }
  .sidebar { flex: none; border-right: 0; border-bottom: 1px solid var(--border); }
  main { padding: 1rem; }
}
`;
