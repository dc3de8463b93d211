import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';
import { openPage } from './open-page';

export interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** `/storage`: the create form and the list of the user's namespaces. */
export class NamespacesPage {
  readonly name: Locator;
  readonly visibility: Locator;
  readonly create: Locator;
  readonly list: Locator;
  readonly listHeading: Locator;

  constructor(readonly page: Page) {
    const form = page.getByRole('form', { name: 'Create a namespace' });
    this.name = form.getByLabel('Name');
    this.visibility = form.getByLabel('Visibility');
    this.create = form.getByRole('button', { name: 'Create namespace' });
    this.list = page.getByRole('region', { name: 'Your namespaces', exact: true });
    this.listHeading = page.getByRole('heading', { name: 'Your namespaces' });
  }

  async goto(): Promise<void> {
    await openPage(this.page, '/storage', this.listHeading);
  }

  row(namespace: string): Locator {
    return this.list.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: namespace, exact: true }) });
  }

  link(namespace: string): Locator {
    return this.list.getByRole('link', { name: namespace, exact: true });
  }

  async createNamespace(namespace: string, visibility: 'private' | 'public' = 'private'): Promise<void> {
    await this.name.fill(namespace);
    await this.visibility.selectOption(visibility);
    await this.create.click();
    await expect(this.link(namespace)).toBeVisible();
  }

  async setVisibility(namespace: string, visibility: 'private' | 'public'): Promise<void> {
    await this.row(namespace)
      .getByRole('button', { name: `Make ${namespace} ${visibility}` })
      .click();
    await expect(this.row(namespace)).toContainText(visibility === 'public' ? 'Public' : 'Private');
  }

  async deleteNamespace(namespace: string): Promise<void> {
    await this.row(namespace)
      .getByRole('button', { name: new RegExp(`^Delete namespace ${namespace}\\b`) })
      .click();
    await this.row(namespace).getByRole('button', { name: 'Yes, delete' }).click();
  }
}

/** `/storage/namespaces/:namespace`: one folder, its uploads and its files. */
export class FileBrowserPage {
  readonly chooseFiles: Locator;
  readonly dropZone: Locator;
  readonly newFolder: Locator;
  readonly openFolder: Locator;
  readonly breadcrumb: Locator;
  readonly files: Locator;
  readonly announcer: Locator;

  constructor(readonly page: Page) {
    this.chooseFiles = page.getByRole('button', { name: 'Choose files…' });
    this.dropZone = page.getByTestId('drop-zone');
    this.newFolder = page.getByRole('form', { name: 'New folder' }).getByLabel('New folder');
    this.openFolder = page.getByRole('button', { name: 'Open folder' });
    this.breadcrumb = page.getByRole('navigation', { name: 'Folder path' });
    this.files = page.getByRole('main').getByRole('table');
    this.announcer = page.getByTestId('upload-announcer');
  }

  /** Picks files through the browser's file chooser, as a user would. */
  async upload(files: FilePayload[] | string[]): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.chooseFiles.click();
    await (await chooser).setFiles(files);
  }

  /** Drops a file on the drop zone (a DataTransfer made in the page, the way a drag from the desktop arrives). */
  async drop(file: { name: string; mimeType: string; text: string }): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle(({ name, mimeType, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: mimeType }));
      return transfer;
    }, file);
    await this.dropZone.dispatchEvent('dragover', { dataTransfer });
    await this.dropZone.dispatchEvent('drop', { dataTransfer });
  }

  async openNewFolder(name: string): Promise<void> {
    await this.newFolder.fill(name);
    await this.openFolder.click();
  }

  uploadRow(path: string): Locator {
    return this.page.getByTestId('upload-row').and(this.page.locator(`[data-path="${path}"]`));
  }

  progress(path: string): Locator {
    return this.page.getByRole('progressbar', { name: `Upload of ${path}` });
  }

  fileRow(name: string): Locator {
    return this.files.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  folderLink(name: string): Locator {
    return this.files.getByRole('link', { name: `${name}/` });
  }

  /** Clicks Download and returns the bytes the browser saved. */
  async download(name: string): Promise<Buffer> {
    const download = this.page.waitForEvent('download');
    await this.fileRow(name)
      .getByRole('link', { name: `Download ${name}` })
      .click();
    const saved = await (await download).path();
    return readFile(saved);
  }

  async deleteFile(name: string): Promise<void> {
    await this.fileRow(name)
      .getByRole('button', { name: `Delete file ${name}` })
      .click();
    await this.fileRow(name).getByRole('button', { name: 'Yes, delete' }).click();
  }
}
