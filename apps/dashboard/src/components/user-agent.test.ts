import { describe, expect, it } from 'vitest';
import { describeUserAgent } from './user-agent';

describe('describeUserAgent', () => {
  it('names common browsers and systems', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/159.0.8154.6 Safari/537.36',
      ),
    ).toBe('Chrome 159 on Windows');
    expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe('Firefox 140 on Linux');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari 18 on iOS');
    expect(describeUserAgent('curl/8.5.0')).toBe('curl 8');
  });

  it('falls back to the raw string, shortened, or to "Unknown device"', () => {
    expect(describeUserAgent(null)).toBe('Unknown device');
    expect(describeUserAgent('my-script/1.0')).toBe('my-script/1.0');
    expect(describeUserAgent('x'.repeat(50))).toBe(`${'x'.repeat(40)}…`);
  });
});
