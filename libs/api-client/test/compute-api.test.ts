import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createComputeApi } from '../src';
import { json, startFakeService, type FakeService, type Seen } from './support/fake-service';

// A real HTTP server on port 0 plays the compute service and records what it was sent.
let service: FakeService;
let baseUrl: string;
let seen: Seen[];
let answer: (seen: Seen, res: ServerResponse) => void;

beforeAll(async () => {
  service = await startFakeService((entry, res) => {
    seen.push(entry);
    answer(entry, res);
  });
  baseUrl = service.url;
});
afterAll(() => service.close());
beforeEach(() => {
  seen = [];
  answer = (_s, res) => json(res, 200, { containers: [], ssh_keys: [], rules: [] });
});

describe('compute client', () => {
  it('sends each call to its path with its body and the bearer token', async () => {
    const api = createComputeApi({ baseUrl: `${baseUrl}/`, token: 'tok' });
    await api.listContainers();
    await api.createContainer({ name: 'web', ssh_key_ids: ['k1'] });
    await api.stopContainer('abc12345');
    await api.setPullPolicy('abc12345', 'Always');
    await api.setSsh('abc12345', false);
    await api.putIngress('abc12345', { port: 8080, target_port: 3000 });
    await api.deleteIngress('abc12345', 8080);
    await api.setMounts('abc12345', ['/root']);
    await api.listSshKeys();
    await api.addSshKey({ name: 'k', public_key: 'ssh-ed25519 AAAA' });
    await api.deleteSshKey('k/1');
    expect(seen.map((s) => `${s.method} ${s.url} ${s.body}`)).toEqual([
      'GET /compute/containers ',
      'POST /compute/containers {"name":"web","ssh_key_ids":["k1"]}',
      'POST /compute/containers/abc12345/stop ',
      'PUT /compute/containers/abc12345/pull-policy {"pull_policy":"Always"}',
      'PUT /compute/containers/abc12345/ssh {"ssh_enabled":false}',
      'POST /compute/containers/abc12345/ingress {"port":8080,"target_port":3000}',
      'DELETE /compute/containers/abc12345/ingress/8080 ',
      'PUT /compute/containers/abc12345/mounts {"mount_paths":["/root"]}',
      'GET /compute/ssh-keys ',
      'POST /compute/ssh-keys {"name":"k","public_key":"ssh-ed25519 AAAA"}',
      'DELETE /compute/ssh-keys/k%2F1 ',
    ]);
    expect(seen.every((s) => s.headers.authorization === 'Bearer tok')).toBe(true);
    expect(api.liveUrl('t 1')).toBe(`${baseUrl.replace('http', 'ws')}/compute/ws?ticket=t%201`);
  });

  it('turns an error answer into an ApiError with its code', async () => {
    answer = (_s, res) => {
      json(res, 409, { error: 'container limit: at most 3 containers per user', code: 'conflict' });
    };
    const error = await createComputeApi({ baseUrl })
      .createContainer({ name: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'container limit: at most 3 containers per user' });
  });
});
