import * as grpc from '@grpc/grpc-js';

// grpc.health.v1 (https://github.com/grpc/grpc/blob/master/doc/health-checking.md), encoded by hand:
// the two messages have one field each, so a protobuf runtime would be more code than the wire format.
//   HealthCheckRequest  { string service = 1; }
//   HealthCheckResponse { ServingStatus status = 1; }   SERVING = 1, NOT_SERVING = 2, SERVICE_UNKNOWN = 3

export type ServingStatus = 1 | 2 | 3;

interface HealthCheckRequest {
  service: string;
}
interface HealthCheckResponse {
  status: ServingStatus;
}

const MAX_SERVICE_NAME = 256;

/** Decodes field 1 (length-delimited, tag 0x0a); unknown fields are skipped, malformed input rejected. */
export function decodeHealthCheckRequest(bytes: Buffer): HealthCheckRequest {
  let offset = 0;
  let service = '';
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new Error('varint too long');
  };
  while (offset < bytes.length) {
    const key = varint();
    const wireType = key & 7;
    if (wireType === 0) varint();
    else if (wireType === 2) {
      const length = varint();
      if (offset + length > bytes.length) throw new Error('truncated field');
      if (key >>> 3 === 1) {
        if (length > MAX_SERVICE_NAME) throw new Error('service name too long');
        service = bytes.subarray(offset, offset + length).toString('utf8');
      }
      offset += length;
    } else throw new Error(`unsupported wire type ${wireType}`);
  }
  return { service };
}

export function encodeHealthCheckRequest(request: HealthCheckRequest): Buffer {
  const name = Buffer.from(request.service, 'utf8');
  if (name.length > MAX_SERVICE_NAME) throw new Error('service name too long');
  if (!name.length) return Buffer.alloc(0);
  // Lengths up to 256 fit in a two-byte varint.
  const length = name.length < 0x80 ? [name.length] : [(name.length & 0x7f) | 0x80, name.length >>> 7];
  return Buffer.concat([Buffer.from([0x0a, ...length]), name]);
}

export function encodeHealthCheckResponse(response: HealthCheckResponse): Buffer {
  return Buffer.from([0x08, response.status]);
}

const healthDefinition: grpc.ServiceDefinition = {
  Check: {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: encodeHealthCheckRequest,
    requestDeserialize: decodeHealthCheckRequest,
    responseSerialize: encodeHealthCheckResponse,
    responseDeserialize: (bytes: Buffer): HealthCheckResponse => ({ status: (bytes[1] ?? 0) as ServingStatus }),
  },
};

/** Registers grpc.health.v1.Health/Check; `status(service)` answers for "" (the server) and named services. */
export function addHealthService(server: grpc.Server, status: (service: string) => ServingStatus): void {
  server.addService(healthDefinition, {
    Check: (call: grpc.ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: grpc.sendUnaryData<HealthCheckResponse>) => {
      const result = status(call.request.service);
      if (result === 3) callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
      else callback(null, { status: result });
    },
  });
}

export { healthDefinition };
