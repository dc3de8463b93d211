import { randomBytes } from 'node:crypto';
import { ContainerPage, ContainersPage, SshKeysPage } from '../pages/compute-page';
import { runtimeUnavailableReason } from '../support/compute-runtime';
import { domain } from '../support/e2e-env';
import { expect, snap, test } from '../support/fixtures';
import { gatewayFetch } from '../support/gateway-fetch';
import { generateEd25519Pair } from '@edd/ssh-keys';
import { OpenSshClient } from '@edd/ssh-keys/testing';

// The dashboard's Compute section against the compute service and its container runtime, through the gateway
// (issue 10: create a key and a container through the UI, terminal, ingress, a server reached from outside, stop, delete).

test('compute page renders through the gateway and says whether containers can run', async ({ page }, testInfo) => {
  const reason = await runtimeUnavailableReason();
  const containers = new ContainersPage(page);
  await containers.goto();
  await expect(page.getByRole('heading', { name: 'Compute', exact: true })).toBeVisible();
  await expect(page.getByTestId('compute-feed')).toHaveAttribute('data-state', 'live');
  if (reason) await expect(containers.runtimeUnavailable).toContainText(reason);
  else await expect(containers.runtimeUnavailable).toHaveCount(0);
  await snap(page, testInfo, 'page-compute');
});

test('SSH keys, a container and its ingress rules through the UI (the API alone, no runtime needed)', async ({
  page,
  uniqueName,
  cleanupContainers,
  cleanupSshKeys,
}, testInfo) => {
  const keyName = uniqueName('key');
  const name = uniqueName('box');
  cleanupSshKeys(keyName);
  cleanupContainers(name);

  const keys = new SshKeysPage(page);
  await keys.goto();
  // A .pub file picked from disk fills the key, and its comment the name.
  const publicKey = `${generateEd25519Pair().publicKey} ${keyName}`;
  await keys.file.setInputFiles({ name: 'id_ed25519.pub', mimeType: 'text/plain', buffer: Buffer.from(`${publicKey}\n`) });
  await expect(keys.publicKey).toHaveValue(publicKey);
  await expect(keys.name).toHaveValue(keyName);
  await keys.add.click();
  await expect(keys.row(keyName)).toContainText('SHA256:');

  const containers = new ContainersPage(page);
  await containers.goto();
  const id = await containers.createContainer(name, keyName);
  const container = new ContainerPage(page, name);
  await expect(page.getByRole('heading', { name: `Container ${name}` })).toBeVisible();

  await container.addIngressRule(8123);
  await expect(container.ingress.getByTestId('ingress-url')).toHaveText(`http://${id}.compute.${domain}:8123/`);
  await snap(page, testInfo, 'container-ingress');
  await container.ingress.getByRole('button', { name: 'Remove ingress rule for port 8123' }).click();
  await container.ingress.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(container.ingress.getByText('No ports are open')).toBeVisible();

  await container.delete();
  await page.waitForURL(/\/compute$/);
  await expect(containers.row(name)).toHaveCount(0);
  await keys.goto();
  await keys.deleteKey(keyName);
});

test('a container made through the UI: terminal, ingress to a server started in it, stop and delete', async ({
  page,
  uniqueName,
  cleanupContainers,
  cleanupSshKeys,
}, testInfo) => {
  test.setTimeout(180_000);
  const reason = await runtimeUnavailableReason();
  test.skip(Boolean(reason), `compute reports its container runtime unavailable: ${reason}`);

  const keyName = uniqueName('key');
  const name = uniqueName('box');
  cleanupSshKeys(keyName);
  cleanupContainers(name);
  const pair = generateEd25519Pair();
  const publicKey = `${pair.publicKey} ${keyName}`;
  const privateKey = pair.privateKey;

  const keys = new SshKeysPage(page);
  await keys.goto();
  await keys.addKey(keyName, publicKey);

  const containers = new ContainersPage(page);
  await containers.goto();
  const id = await containers.createContainer(name, keyName);
  const container = new ContainerPage(page, name);
  await expect(page.getByRole('heading', { name: `Container ${name}` })).toBeVisible();
  // The status arrives over WS /compute/ws: no reload.
  await expect(container.status).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await expect(container.sshCommand).toHaveValue(new RegExp(`^ssh -p \\d+ ${id}@${domain.replace(/\./g, '\\.')}$`));
  await snap(page, testInfo, 'container-running');

  // The command the page shows, as a user pastes it (OpenSSH's own client, through the gateway's SSH plane); only
  // the host is 127.0.0.1, since the resolver here does not know *.localhost names.
  const command = (await container.sshCommand.inputValue()).split(' ');
  const [login] = (command.at(-1) ?? '').split('@');
  const ssh = await OpenSshClient.create(Number(command[2]));
  try {
    const result = await ssh.ssh(await ssh.identity('id_ed25519', { privateKey }), `${login}`, 'hostname');
    expect(result.stdout.trim()).toBe(id);
  } finally {
    await ssh.cleanup();
  }

  await container.openTerminal();
  await container.run('echo hello');
  await expect(container.terminalLine('hello')).toHaveCount(1);
  // Tab belongs to the shell; Ctrl+] hands the keyboard focus back to the page.
  await page.keyboard.press('Control+BracketRight');
  await expect(page.getByRole('heading', { name: 'Terminal', exact: true })).toBeFocused();
  await snap(page, testInfo, 'container-terminal');

  await container.addIngressRule(8080);
  const url = `http://${id}.compute.${domain}:8080/`;
  await expect(container.ingress.getByTestId('ingress-url')).toHaveText(url);

  // Leaving the tab ends the shell, so the server is started detached from it.
  const marker = `compute-e2e-${randomBytes(6).toString('hex')}`;
  await container.openTerminal();
  await container.run(
    `mkdir -p /tmp/www && echo ${marker} > /tmp/www/index.html && (cd /tmp/www && nohup python3 -m http.server 8080 >/tmp/www.log 2>&1 &) && echo server-started`,
  );
  await expect(container.terminalLine('server-started')).toHaveCount(1);
  await expect
    .poll(
      async () => {
        const response = await gatewayFetch(url).catch(() => undefined);
        return response?.status === 200 ? (await response.text()).trim() : `status ${response?.status ?? 'none'}`;
      },
      { timeout: 20_000, message: `GET ${url} through the gateway` },
    )
    .toBe(marker);

  await container.tab('Logs').click();
  await expect(container.logsState).toHaveAttribute('data-state', 'following');

  await container.stop();
  await expect(container.status).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await container.delete();
  await page.waitForURL(/\/compute$/);
  await expect(containers.row(name)).toHaveCount(0);

  await keys.goto();
  await keys.deleteKey(keyName);
});
