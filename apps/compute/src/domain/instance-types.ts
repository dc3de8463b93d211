/**
 * The instance catalogue: CPU is fixed per type; memory and storage are chosen within the type's bounds (the
 * original had no upper bound at all). Defaults are the lower bounds of `nano`.
 */
export interface InstanceType {
  name: string;
  cpuMillis: number;
  memoryMb: { min: number; max: number; default: number };
  storageGb: { min: number; max: number; default: number };
}

export const INSTANCE_TYPES: readonly InstanceType[] = [
  { name: 'nano', cpuMillis: 500, memoryMb: { min: 128, max: 1024, default: 512 }, storageGb: { min: 1, max: 10, default: 5 } },
  { name: 'micro', cpuMillis: 1000, memoryMb: { min: 256, max: 2048, default: 1024 }, storageGb: { min: 1, max: 20, default: 10 } },
  { name: 'small', cpuMillis: 2000, memoryMb: { min: 512, max: 4096, default: 2048 }, storageGb: { min: 1, max: 40, default: 20 } },
  { name: 'medium', cpuMillis: 4000, memoryMb: { min: 1024, max: 8192, default: 4096 }, storageGb: { min: 1, max: 80, default: 40 } },
];

export const DEFAULT_INSTANCE_TYPE = 'nano';

export function instanceType(name: string): InstanceType | undefined {
  return INSTANCE_TYPES.find((t) => t.name === name);
}

export type SizeCheck = { ok: true; type: InstanceType; memoryMb: number; storageGb: number } | { ok: false; error: string };

/** The type's CPU and the requested (or default) memory and storage, within the type's bounds. */
export function sizeContainer(typeName: string, memoryMb?: number, storageGb?: number): SizeCheck {
  const type = instanceType(typeName);
  if (!type) return { ok: false, error: `unknown instance_type "${typeName}" (one of ${INSTANCE_TYPES.map((t) => t.name).join(', ')})` };
  const memory = memoryMb ?? type.memoryMb.default;
  const storage = storageGb ?? type.storageGb.default;
  if (memory < type.memoryMb.min || memory > type.memoryMb.max) {
    return { ok: false, error: `memory limit: ${type.name} allows memory_mb from ${type.memoryMb.min} to ${type.memoryMb.max}` };
  }
  if (storage < type.storageGb.min || storage > type.storageGb.max) {
    return { ok: false, error: `storage limit: ${type.name} allows storage_gb from ${type.storageGb.min} to ${type.storageGb.max}` };
  }
  return { ok: true, type, memoryMb: memory, storageGb: storage };
}
