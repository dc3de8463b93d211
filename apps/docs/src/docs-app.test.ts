import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@edd/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocsApp } from './docs-app';
import { listPages } from './library';

const quietLogger = createLogger({ service: 'docs', stream: new Writable({ write: (_chunk, _enc, done) => done() }) });

async function startDocs(docsDir: string): Promise<{ base: string; server: Server }> {
  const app = createDocsApp({ appOptions: { service: 'docs', logger: quietLogger, domain: 'cloud.localhost' }, docsDir });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('docs site over a real socket', () => {
  let dir: string;
  let base: string;
  let server: Server;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-app-'));
    await mkdir(join(dir, 'api'));
    await writeFile(join(dir, 'index.md'), '# Welcome\n\nRead the [guide](guide.md#setup) and the [auth API](api/auth.md).\n');
    await writeFile(
      join(dir, 'guide.md'),
      '# Guide\n\n## Setup\n\nRun `npm start`.\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    );
    await writeFile(join(dir, 'api', 'auth.md'), '# Auth API\n\nBack to the [overview](../index.md).\n');
    await writeFile(join(dir, 'notes.txt'), 'not markdown');
    ({ base, server } = await startDocs(dir));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('renders the index with a sidebar listing every page', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<title>Welcome · edd-cloud docs</title>');
    expect(html).toContain('<a href="/" aria-current="page">Welcome</a>');
    expect(html).toContain('<a href="/guide">Guide</a>');
    expect(html).toContain('<h2>api</h2>');
    expect(html).toContain('<a href="/api/auth">Auth API</a>');
    // Links between Markdown files become site routes.
    expect(html).toContain('<a href="/guide#setup">guide</a>');
    expect(html).toContain('<a href="/api/auth">auth API</a>');
  });

  it('renders a page with heading anchors, tables and code, escaping raw HTML', async () => {
    const res = await fetch(`${base}/guide`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h2 id="setup">Setup</h2>');
    expect(html).toContain('<code>npm start</code>');
    expect(html).toContain('<table>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/href="javascript:/i);
  });

  it('resolves relative links from a page in a section', async () => {
    const html = await (await fetch(`${base}/api/auth/`)).text();
    expect(html).toContain('<a href="/">overview</a>');
  });

  it('answers 404 with an HTML page for unknown pages and never leaves the docs folder', async () => {
    for (const path of ['/nope', '/notes.txt', '/..%2f..%2fetc%2fpasswd', '/%E0%A4%A']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html).toContain('Page not found');
      expect(html).not.toContain('root:');
    }
  });

  it('serves its stylesheet and the health endpoints', async () => {
    const css = await fetch(`${base}/assets/docs.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', service: 'docs' });
  });
});

describe("the repository's own docs folder", () => {
  it('has an overview and a title for every page, and every page renders', async () => {
    const docsDir = fileURLToPath(new URL('../../../docs', import.meta.url));
    const pages = await listPages(docsDir);
    expect(pages[0]?.slug).toBe('');
    expect(pages.map((p) => p.slug)).toEqual(expect.arrayContaining(['architecture', 'development', 'operations', 'api/auth']));
    const { base, server } = await startDocs(docsDir);
    try {
      for (const page of pages) {
        const res = await fetch(`${base}/${page.slug}`);
        expect(res.status, page.slug).toBe(200);
        const html = await res.text();
        // Every link to another page of the site points at a page that exists.
        for (const [, href] of html
          .matchAll(/<main>[\s\S]*?<\/main>/g)
          .next()
          .value?.[0].matchAll(/href="(\/[^"#]*)/g) ?? []) {
          expect(
            pages.some((p) => `/${p.slug}` === href),
            `${page.slug} links to ${href}`,
          ).toBe(true);
        }
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
