import type { TokenExpiry } from '@edd/api-client';

export const expiryOptions: ReadonlyArray<{ value: TokenExpiry; label: string }> = [
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: '365d', label: '1 year' },
  { value: 'never', label: 'Never' },
];
