import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { SectionTabs, type SectionTab } from './section-tabs';

const tabs: SectionTab[] = [
  { to: '/settings', label: 'Profile', end: true },
  { to: '/settings/tokens', label: 'API tokens' },
  { to: '/storage', label: 'Namespaces', active: (path) => path.startsWith('/storage') && !path.startsWith('/storage/shares') },
];

/** The labels of the tabs marked current when the browser is at `path`. */
function currentAt(path: string): string[] {
  const html = renderToStaticMarkup(
    <MemoryRouter initialEntries={[path]}>
      <SectionTabs label="Sections" tabs={tabs} />
    </MemoryRouter>,
  );
  return [...html.matchAll(/<a [^>]*aria-current="page"[^>]*>([^<]*)<\/a>/g)].map((m) => m[1] ?? '');
}

describe('SectionTabs', () => {
  it('marks an `end` tab current on its own path only, with or without a trailing slash', () => {
    expect(currentAt('/settings')).toEqual(['Profile']);
    expect(currentAt('/settings/')).toEqual(['Profile']);
    expect(currentAt('/settings/tokens')).toEqual(['API tokens']);
  });

  it('marks a tab current below its path but not on a path that merely starts with the same letters', () => {
    expect(currentAt('/settings/tokens/abc')).toEqual(['API tokens']);
    expect(currentAt('/settings/tokensmith')).toEqual([]);
  });

  it('lets a tab decide for itself, and names the bar for screen readers', () => {
    expect(currentAt('/storage/docs/readme.md')).toEqual(['Namespaces']);
    expect(currentAt('/storage/shares')).toEqual([]);
    const html = renderToStaticMarkup(
      <MemoryRouter>
        <SectionTabs label="Sections" tabs={tabs} />
      </MemoryRouter>,
    );
    expect(html).toContain('<nav class="tabs" aria-label="Sections">');
  });
});
