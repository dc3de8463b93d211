import MarkdownIt from 'markdown-it';

/**
 * Markdown to HTML. Raw HTML in the source is escaped (`html: false`), link targets go through
 * markdown-it's validateLink (no `javascript:` / `vbscript:` / `data:` except images), and links to
 * sibling `.md` files are rewritten to the site's own routes so the same files read well on GitHub.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

md.core.ruler.push('heading_ids', (state) => {
  const seen = new Map<string, number>();
  state.tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = state.tokens[i + 1]?.content ?? '';
    const base = slugify(text) || 'section';
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    token.attrSet('id', count === 0 ? base : `${base}-${count}`);
  });
  return true;
});

md.core.ruler.push('doc_links', (state) => {
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type !== 'link_open') continue;
      const href = token.attrGet('href');
      if (href) token.attrSet('href', rewriteDocLink(String(href), String(state.env['slug'] ?? '')));
    }
  }
  return true;
});

export function renderMarkdown(markdown: string, slug: string): string {
  return md.render(markdown, { slug });
}

/** `architecture.md#events` -> `/architecture#events`, relative to the page's own folder. */
export function rewriteDocLink(href: string, pageSlug: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.startsWith('#')) return href;
  const match = /^([^?#]*?)\.md(#.*)?$/.exec(href);
  if (!match) return href;
  const [, path = '', hash = ''] = match;
  const folder = pageSlug.includes('/') ? pageSlug.slice(0, pageSlug.lastIndexOf('/')) : '';
  const parts = (path.startsWith('/') ? path.slice(1) : folder ? `${folder}/${path}` : path).split('/');
  const resolved: string[] = [];
  for (const part of parts) {
    if (part === '..') resolved.pop();
    else if (part !== '.' && part !== '') resolved.push(part);
  }
  const target = resolved.join('/').replace(/(^|\/)index$/, '');
  return `/${target}${hash}`;
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_~[\]()]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
