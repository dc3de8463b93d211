import type { NamespaceVisibility } from '@edd/api-client';

export const visibilityOptions: ReadonlyArray<{ value: NamespaceVisibility; label: string }> = [
  { value: 'private', label: 'Private: only you' },
  { value: 'public', label: 'Public: anyone with a file’s URL can read it' },
];

export function otherVisibility(visibility: NamespaceVisibility): NamespaceVisibility {
  return visibility === 'public' ? 'private' : 'public';
}
