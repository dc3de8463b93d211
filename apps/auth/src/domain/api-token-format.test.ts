import { describe, expect, it } from 'vitest';
import { hashSecret, mintApiToken, parseApiToken, secretMatches } from './api-token-format';

describe('API token format', () => {
  it('mints ecloud_<id>_<secret> and parses it back, even when the secret contains "_"', () => {
    for (let i = 0; i < 50; i += 1) {
      const minted = mintApiToken();
      expect(minted.token.startsWith(`ecloud_${minted.id}_`)).toBe(true);
      const parsed = parseApiToken(minted.token);
      expect(parsed?.id).toBe(minted.id);
      expect(secretMatches(parsed?.secret ?? '', minted.secretHash)).toBe(true);
    }
    expect(parseApiToken('ecloud_abcDEF123456_a_b-c_d_e_f_g_h_i_j_k_l_m_n_o_p_')).toEqual({
      id: 'abcDEF123456',
      secret: 'a_b-c_d_e_f_g_h_i_j_k_l_m_n_o_p_',
    });
  });

  it('rejects what is not a token', () => {
    for (const value of [
      '',
      'ecloud_',
      'ecloud_abc_short',
      'eyJhbGciOi.x.y',
      `ecloud_${'a'.repeat(12)}_${'!'.repeat(43)}`,
      `token_${'a'.repeat(12)}_${'b'.repeat(43)}`,
    ]) {
      expect(parseApiToken(value)).toBeUndefined();
    }
  });

  it('stores sha256 only and compares in constant time', () => {
    const minted = mintApiToken();
    expect(minted.secretHash).toHaveLength(32);
    expect(secretMatches('wrong', minted.secretHash)).toBe(false);
    expect(hashSecret('x').equals(hashSecret('x'))).toBe(true);
  });
});
