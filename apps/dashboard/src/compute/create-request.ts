import type { CreateContainerRequest } from '@edd/api-client';

/**
 * The instance types offered (the server's catalogue decides bounds and defaults, and validates). Keep in step with
 * apps/compute/src/domain/instance-types.ts until the API lists them.
 */
export const instanceTypeOptions = [
  { value: 'nano', label: 'nano · 0.5 CPU' },
  { value: 'micro', label: 'micro · 1 CPU' },
  { value: 'small', label: 'small · 2 CPU' },
  { value: 'medium', label: 'medium · 4 CPU' },
] as const;

export interface CreateForm {
  name: string;
  instanceType: string;
  /** Empty: the instance type's default. */
  memoryMb: string;
  storageGb: string;
  sshKeyIds: readonly string[];
  /** One absolute path per line (or separated by commas). */
  mountPaths: string;
  sshEnabled: boolean;
}

export const emptyCreateForm: CreateForm = {
  name: '',
  instanceType: 'nano',
  memoryMb: '',
  storageGb: '',
  sshKeyIds: [],
  mountPaths: '/root',
  sshEnabled: true,
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Absolute paths without duplicates; empty lines are skipped. */
export function parseMountPaths(text: string): Parsed<string[]> {
  const paths = [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ];
  const relative = paths.find((p) => !p.startsWith('/'));
  if (relative) return { ok: false, error: `Mount paths must be absolute: “${relative}” does not start with /.` };
  if (paths.some((p) => p.split('/').includes('..'))) return { ok: false, error: 'Mount paths may not contain “..”.' };
  return { ok: true, value: paths };
}

function optionalWholeNumber(text: string, what: string): Parsed<number | undefined> {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, value: undefined };
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value <= 0) return { ok: false, error: `${what} must be a whole number above 0.` };
  return { ok: true, value };
}

/** The request body, or the first thing wrong with the form as a sentence. */
export function buildCreateRequest(form: CreateForm): Parsed<CreateContainerRequest> {
  const memory = optionalWholeNumber(form.memoryMb, 'Memory');
  if (!memory.ok) return memory;
  const storage = optionalWholeNumber(form.storageGb, 'Storage');
  if (!storage.ok) return storage;
  const mounts = parseMountPaths(form.mountPaths);
  if (!mounts.ok) return mounts;
  return {
    ok: true,
    value: {
      name: form.name.trim(),
      instance_type: form.instanceType,
      ...(memory.value !== undefined ? { memory_mb: memory.value } : {}),
      ...(storage.value !== undefined ? { storage_gb: storage.value } : {}),
      ssh_key_ids: [...form.sshKeyIds],
      ssh_enabled: form.sshEnabled,
      mount_paths: mounts.value,
    },
  };
}
