import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** LogEntry as proto-loader gives and takes it (keepCase, int64 as numbers, enums as names). */
export interface ProtoLogEntry {
  source: string;
  level: string | number;
  message: string;
  timestamp: number;
  attributes: Record<string, string>;
  timestamp_ms: number;
}

export interface ProtoGetLogsRequest {
  source: string;
  min_level: string | number;
  since: number;
  limit: number;
}

export interface ProtoStreamLogsRequest {
  source: string;
  min_level: string | number;
}

/** logging.proto beside the sources (`../../proto`) or beside the bundle (`./proto`, copied by the build). */
export function logProtoPath(): string {
  for (const candidate of ['./proto/logging.proto', '../../proto/logging.proto']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('logging.proto not found next to the log service');
}

let loaded: grpc.ServiceClientConstructor | undefined;

/** The LogService definition (for the server) and client constructor (for tests and the bench). */
export function logServiceClientConstructor(): grpc.ServiceClientConstructor {
  if (loaded) return loaded;
  const definition = loadSync(logProtoPath(), { keepCase: true, longs: Number, enums: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(definition)['logging'] as grpc.GrpcObject;
  loaded = pkg['LogService'] as grpc.ServiceClientConstructor;
  return loaded;
}
