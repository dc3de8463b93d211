import { existsSync } from 'node:fs';
import { gatewayAddress, type Subnet } from './address-allocator';
import { CommandError, runCommand } from './run-command';

/** Names of one sandbox's network pieces: its namespace and the host end of its veth (≤ 15 characters). */
export function networkNames(id: string): { netns: string; veth: string } {
  return { netns: `edd-${id}`, veth: `eddv${id}` };
}

async function linkExists(name: string): Promise<boolean> {
  return runCommand('ip', ['link', 'show', 'dev', name]).then(
    () => true,
    () => false,
  );
}

export function netnsExists(netns: string): boolean {
  return existsSync(`/run/netns/${netns}`);
}

/** The host bridge with the subnet's first address; created once, left in place for the next start. */
export async function ensureBridge(bridge: string, subnet: Subnet): Promise<void> {
  if (!(await linkExists(bridge))) {
    try {
      await runCommand('ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
    } catch (error) {
      // Another start created it meanwhile.
      if (!(await linkExists(bridge))) throw error;
    }
  }
  const cidr = `${gatewayAddress(subnet)}/${subnet.prefix}`;
  const addresses = await runCommand('ip', ['-o', '-4', 'addr', 'show', 'dev', bridge]);
  if (!addresses.includes(` ${cidr} `)) await runCommand('ip', ['addr', 'add', cidr, 'dev', bridge]);
  await runCommand('ip', ['link', 'set', bridge, 'up']);
}

/**
 * A fresh namespace with `eth0` at `address`, its peer on the bridge. No default route: a sandbox reaches the host
 * and nothing else. The bridge port is isolated so sandboxes cannot reach each other, only the host.
 */
export async function createContainerNetwork(id: string, bridge: string, subnet: Subnet, address: string): Promise<void> {
  const { netns, veth } = networkNames(id);
  await removeContainerNetwork(id);
  await runCommand('ip', ['netns', 'add', netns]);
  await runCommand('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  await runCommand('ip', ['link', 'set', veth, 'master', bridge]);
  await runCommand('ip', ['link', 'set', 'dev', veth, 'type', 'bridge_slave', 'isolated', 'on']);
  await runCommand('ip', ['link', 'set', veth, 'up']);
  await runCommand('ip', ['-n', netns, 'addr', 'add', `${address}/${subnet.prefix}`, 'dev', 'eth0']);
  await runCommand('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
  await runCommand('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
}

/** Deleting the namespace destroys eth0 and with it the host's end; the veth is deleted too in case it was left. */
export async function removeContainerNetwork(id: string): Promise<void> {
  const { netns, veth } = networkNames(id);
  if (netnsExists(netns)) await runCommand('ip', ['netns', 'del', netns]);
  if (await linkExists(veth)) {
    await runCommand('ip', ['link', 'del', veth]).catch((error: unknown) => {
      if (!(error instanceof CommandError) || !/Cannot find device/.test(error.stderr)) throw error;
    });
  }
}
