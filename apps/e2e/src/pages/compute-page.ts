import { expect, type Locator, type Page } from '@playwright/test';
import { openPage } from './open-page';

/** `/compute/ssh-keys`: paste a key, list with fingerprints, delete. */
export class SshKeysPage {
  readonly publicKey: Locator;
  readonly file: Locator;
  readonly name: Locator;
  readonly add: Locator;
  readonly list: Locator;

  constructor(readonly page: Page) {
    const form = page.getByRole('form', { name: 'Add an SSH key' });
    this.publicKey = form.getByLabel('Public key');
    this.file = form.getByLabel('Or load a .pub file');
    this.name = form.getByLabel('Name');
    this.add = form.getByRole('button', { name: 'Add key' });
    this.list = page.getByRole('region', { name: 'Your SSH keys', exact: true });
  }

  async goto(): Promise<void> {
    await openPage(this.page, '/compute/ssh-keys', this.page.getByRole('heading', { name: 'Your SSH keys' }));
  }

  row(name: string): Locator {
    return this.list.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  async addKey(name: string, publicKey: string): Promise<void> {
    await this.publicKey.fill(publicKey);
    // Leaving the key field suggests a name from the key's comment; the typed name then replaces it, as a user would.
    await this.publicKey.blur();
    await this.name.fill(name);
    await this.add.click();
    await expect(this.row(name)).toContainText('SHA256:');
    await expect(this.publicKey).toBeFocused();
  }

  async deleteKey(name: string): Promise<void> {
    await this.row(name)
      .getByRole('button', { name: `Delete SSH key ${name}` })
      .click();
    await this.row(name).getByRole('button', { name: 'Yes, delete' }).click();
    await expect(this.row(name)).toHaveCount(0);
  }
}

/** `/compute`: the list of containers and the create form. */
export class ContainersPage {
  readonly form: Locator;
  readonly list: Locator;
  readonly runtimeUnavailable: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'Create a container' });
    this.list = page.getByRole('region', { name: 'Your containers', exact: true });
    this.runtimeUnavailable = page.getByTestId('runtime-unavailable');
  }

  async goto(): Promise<void> {
    await openPage(this.page, '/compute', this.page.getByRole('heading', { name: 'Your containers' }));
  }

  row(name: string): Locator {
    return this.list.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  /** Fills and sends the form; resolves with the new container's id once its page is open. */
  async createContainer(name: string, keyName: string): Promise<string> {
    await this.form.getByLabel('Name', { exact: true }).fill(name);
    await this.form.getByLabel('Instance type').selectOption('nano');
    await this.form.getByRole('checkbox', { name: new RegExp(`^${escapeRegExp(keyName)}\\b`) }).check();
    await expect(this.form.getByLabel('Allow SSH access')).toBeChecked();
    await this.form.getByRole('button', { name: 'Create container' }).click();
    await this.page.waitForURL(/\/compute\/containers\/[a-z0-9]{8}$/);
    return this.page.url().split('/').pop()!;
  }
}

/** `/compute/containers/:id` and its Ingress, Terminal and Logs tabs. */
export class ContainerPage {
  readonly status: Locator;
  readonly sshCommand: Locator;
  readonly terminal: Locator;
  readonly terminalConnection: Locator;
  readonly logs: Locator;
  readonly logsState: Locator;
  readonly ingress: Locator;

  constructor(
    readonly page: Page,
    readonly name: string,
  ) {
    this.status = page.getByTestId('container-status');
    this.sshCommand = page.getByRole('textbox', { name: 'SSH command' });
    this.terminal = page.getByTestId('terminal');
    this.terminalConnection = page.getByTestId('terminal-connection');
    this.logs = page.getByTestId('logs');
    this.logsState = page.getByTestId('logs-state');
    this.ingress = page.getByRole('region', { name: 'Ingress rules', exact: true });
  }

  tab(name: 'Ingress' | 'Terminal' | 'Logs'): Locator {
    return this.page.getByRole('navigation', { name: 'Container views' }).getByRole('link', { name, exact: true });
  }

  async openTerminal(): Promise<void> {
    await this.tab('Terminal').click();
    await expect(this.terminalConnection).toHaveAttribute('data-state', 'open', { timeout: 20_000 });
    await this.terminal.click();
  }

  /** Types a command line into the shell (Enter included). */
  async run(command: string): Promise<void> {
    await this.page.keyboard.type(`${command}\n`, { delay: 5 });
  }

  /** A terminal row holding exactly `text` (the command line that printed it does not count). */
  terminalLine(text: string): Locator {
    return this.terminal.locator('.xterm-rows > div').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) });
  }

  async addIngressRule(port: number): Promise<void> {
    await this.tab('Ingress').click();
    const form = this.page.getByRole('form', { name: 'Add an ingress rule' });
    await form.getByLabel('External port').fill(String(port));
    await form.getByRole('button', { name: 'Add rule' }).click();
    await expect(this.ingress.getByRole('rowheader', { name: String(port), exact: true })).toBeVisible();
    // Ready for the next rule: the cleared form's first field has the focus.
    await expect(form.getByLabel('External port')).toBeFocused();
  }

  async stop(): Promise<void> {
    await this.page.getByRole('button', { name: `Stop container ${this.name}` }).click();
    await this.page.getByRole('button', { name: 'Yes, stop' }).click();
  }

  async delete(): Promise<void> {
    await this.page.getByRole('button', { name: `Delete container ${this.name} and its files` }).click();
    await this.page.getByRole('button', { name: 'Yes, delete' }).click();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
