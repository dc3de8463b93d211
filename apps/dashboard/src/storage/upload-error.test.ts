import { describe, expect, it } from 'vitest';
import { tusErrorMessage } from './upload-error';

describe('tusErrorMessage', () => {
  it("shows the service's own sentence", () => {
    expect(tusErrorMessage(413, '{"error":"over quota: 2 MiB left","code":"payload_too_large"}', 'tus: failed')).toBe(
      'Over quota: 2 MiB left',
    );
  });

  it('falls back to the status for a body that is not ours', () => {
    expect(tusErrorMessage(502, '<h1>Bad gateway</h1>', 'tus: failed')).toBe('The storage service answered 502.');
  });

  it('says the service could not be reached when there was no answer', () => {
    expect(tusErrorMessage(undefined, undefined, 'tus: failed to upload chunk')).toBe('The storage service could not be reached.');
    expect(tusErrorMessage(0, '', 'Something else')).toBe('Something else');
  });
});
