import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { BreadcrumbNav } from './breadcrumb-nav';
import { UploadRow } from './upload-list';
import type { UploadItem } from './upload-queue';

const item: UploadItem = {
  id: 'u1',
  namespace: 'docs',
  path: 'a/b.bin',
  size: 2048,
  loaded: 1024,
  status: 'uploading',
  resumable: false,
  resumed: false,
};

const noop = () => undefined;

describe('UploadRow', () => {
  it('shows a labelled progress bar, the percentage and a Cancel that names the file', () => {
    const markup = renderToStaticMarkup(<UploadRow item={item} onCancel={noop} onDismiss={noop} />);
    expect(markup).toContain('<progress max="100" value="50" aria-label="Upload of a/b.bin"></progress>');
    expect(markup).toContain('50 %');
    expect(markup).toContain('aria-label="Cancel upload of a/b.bin"');
  });

  it('offers Dismiss and the reason once an upload failed', () => {
    const markup = renderToStaticMarkup(
      <UploadRow item={{ ...item, status: 'failed', error: 'Over quota' }} onCancel={noop} onDismiss={noop} />,
    );
    expect(markup).toContain('Over quota');
    expect(markup).toContain('aria-label="Dismiss upload of a/b.bin"');
    expect(markup).not.toContain('Cancel upload');
  });
});

describe('BreadcrumbNav', () => {
  it('links every folder above and marks the current one', () => {
    const markup = renderToStaticMarkup(
      <MemoryRouter>
        <BreadcrumbNav namespace="docs" prefix="a/b/" hrefOf={(prefix) => `/x?prefix=${prefix}`} />
      </MemoryRouter>,
    );
    expect(markup).toContain('<nav aria-label="Folder path" class="breadcrumb">');
    expect(markup).toContain('<a href="/x?prefix=" data-discover="true">docs</a>');
    expect(markup).toContain('<a href="/x?prefix=a/" data-discover="true">a</a>');
    expect(markup).toContain('<span aria-current="page">b</span>');
  });
});
