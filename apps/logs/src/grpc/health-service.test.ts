import * as grpc from '@grpc/grpc-js';
import { createLogger } from '@edd/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGrpcServer } from './grpc-server';
import { decodeHealthCheckRequest, encodeHealthCheckRequest, healthDefinition } from './health-service';

describe('decodeHealthCheckRequest', () => {
  it('reads the service name and skips unknown fields', () => {
    expect(decodeHealthCheckRequest(Buffer.from([0x0a, 0x03, 0x61, 0x62, 0x63]))).toEqual({ service: 'abc' });
    expect(decodeHealthCheckRequest(Buffer.from([0x10, 0x05, 0x0a, 0x01, 0x78]))).toEqual({ service: 'x' });
    expect(decodeHealthCheckRequest(Buffer.alloc(0))).toEqual({ service: '' });
  });
  it('round-trips names of every length it accepts', () => {
    for (const service of ['', 'a', 'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(256)])
      expect(decodeHealthCheckRequest(encodeHealthCheckRequest({ service }))).toEqual({ service });
    expect(() => encodeHealthCheckRequest({ service: 'x'.repeat(257) })).toThrow(/too long/);
  });
  it('rejects truncated or hostile input', () => {
    expect(() => decodeHealthCheckRequest(Buffer.from([0x0a, 0x09, 0x61]))).toThrow(/truncated/);
    expect(() => decodeHealthCheckRequest(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow();
    expect(() => decodeHealthCheckRequest(Buffer.from([0x0d, 0, 0, 0, 0]))).toThrow(/wire type/);
  });
});

describe('gRPC health over a real connection', () => {
  let ready = true;
  let server: Awaited<ReturnType<typeof startGrpcServer>>;
  let client: grpc.Client;
  const check = (service: string) =>
    new Promise<{ status: number }>((resolve, reject) => {
      client.makeUnaryRequest(
        healthDefinition['Check']!.path,
        healthDefinition['Check']!.requestSerialize,
        healthDefinition['Check']!.responseDeserialize as (b: Buffer) => { status: number },
        { service },
        (error, value) => (error ? reject(error) : resolve(value!)),
      );
    });

  beforeAll(async () => {
    server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ service: 'test', level: 'error' }),
      isReady: () => ready,
    });
    client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    await server.stop();
  });

  it('answers SERVING while ready and NOT_SERVING otherwise', async () => {
    expect(await check('')).toEqual({ status: 1 });
    ready = false;
    expect(await check('edd.logs.LogService')).toEqual({ status: 2 });
    ready = true;
  });

  it('answers NOT_FOUND for an unknown service', async () => {
    await expect(check('nope')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });
});
