import { readFile } from 'node:fs/promises';
import { createServiceApp } from '@edd/http';
import type { ServiceAppOptions } from '@edd/http';
import type express from 'express';
import { pageHtml, STYLESHEET } from './layout';
import { listPages } from './library';
import { escapeHtml, renderMarkdown } from './render';

export interface DocsAppOptions {
  appOptions: ServiceAppOptions;
  /** Folder of Markdown files. Read on every request, so edits show without a restart. */
  docsDir: string;
}

// Rendered Markdown is escaped and the page loads nothing but its own stylesheet: say so to the browser.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

export function createDocsApp(options: DocsAppOptions): express.Express {
  return createServiceApp(options.appOptions, (app) => {
    app.get('/assets/docs.css', (_req, res) => {
      res.set({ 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' }).type('text/css').send(STYLESHEET);
    });

    // A plain middleware rather than a `/*path` route: the router would decode the path itself and
    // turn a malformed escape into a 500; here it is simply a page that does not exist.
    app.use(async (req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      const requested = decodeSlug(req.path);
      const pages = await listPages(options.docsDir);
      const page = pages.find((p) => p.slug === requested);
      res.set(SECURITY_HEADERS).type('html');
      if (!page) {
        const body = `<h1>Page not found</h1>\n<p>No page at <code>${escapeHtml(req.path)}</code>. Pick one from the index.</p>`;
        res.status(404).send(pageHtml({ title: 'Not found', body, pages }));
        return;
      }
      const markdown = await readFile(page.file, 'utf8');
      res.send(pageHtml({ title: page.title, body: renderMarkdown(markdown, page.slug), pages, current: page.slug }));
    });
  });
}

/** `/api/auth/` -> `api/auth`; `/` -> '' (the overview). Undecodable paths match nothing. */
function decodeSlug(path: string): string {
  try {
    return decodeURIComponent(path)
      .replace(/^\/+|\/+$/g, '')
      .replace(/\.md$/, '');
  } catch {
    return '\0';
  }
}
