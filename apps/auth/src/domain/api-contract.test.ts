import { SCOPE_ACTION_NAMES, scopeCatalogResponseSchema, TOKEN_EXPIRY_OPTIONS } from '@edd/api-contracts';
import { SCOPE_ACTIONS, scopeCatalog } from '@edd/scopes';
import { expect, it } from 'vitest';
import { tokenExpiry } from './token-expiry';

// @edd/api-contracts may import no util lib, so it restates these lists; here they are held to the originals.

it("the contract's scope actions are exactly @edd/scopes' actions", () => {
  expect([...SCOPE_ACTION_NAMES]).toEqual([...SCOPE_ACTIONS]);
});

it('GET /api/scopes (the scope catalogue) matches the contract clients read it with', () => {
  expect(scopeCatalogResponseSchema.safeParse(scopeCatalog).success).toBe(true);
});

it('every token lifetime the contract offers has an expiry rule', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  for (const option of TOKEN_EXPIRY_OPTIONS) {
    const expiry = tokenExpiry(option, now);
    if (option === 'never') expect(expiry).toBeNull();
    else expect(expiry!.getTime()).toBeGreaterThan(now.getTime());
  }
});
