import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * The Markdown files under the docs folder, keyed by slug (`api/auth` for `api/auth.md`,
 * `` for `index.md`). Pages are looked up in this list only, never by joining a request path onto
 * the folder, so no URL can reach a file outside it.
 */
export interface DocPage {
  slug: string;
  title: string;
  file: string;
  /** Folder the page sits in ('' at the top), for grouping the sidebar. */
  section: string;
}

export async function listPages(root: string): Promise<DocPage[]> {
  const files = await findMarkdown(root);
  const pages = await Promise.all(
    files.map(async (file): Promise<DocPage> => {
      const rel = relative(root, file).split(sep).join('/');
      const slug = rel.replace(/\.md$/, '').replace(/(^|\/)index$/, '');
      const section = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      return { slug, title: titleOf(await readFile(file, 'utf8'), slug), file, section };
    }),
  );
  // Overview first, then top-level pages, then each section, alphabetically within each.
  return pages.sort((a, b) => rank(a) - rank(b) || a.section.localeCompare(b.section) || a.slug.localeCompare(b.slug));
}

function rank(page: DocPage): number {
  if (page.slug === '') return 0;
  return page.section === '' ? 1 : 2;
}

/** The first level-1 heading, else the file name. */
export function titleOf(markdown: string, slug: string): string {
  const heading = /^#[ \t]+(.+?)[ \t#]*$/m.exec(markdown);
  return heading?.[1]?.trim() || slug.split('/').pop() || 'Overview';
}

async function findMarkdown(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !entry.name.startsWith('.'))
      .map(async (entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return findMarkdown(path);
        return entry.isFile() && entry.name.endsWith('.md') ? [path] : [];
      }),
  );
  return nested.flat();
}
