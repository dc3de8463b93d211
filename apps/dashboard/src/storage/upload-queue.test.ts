import { describe, expect, it } from 'vitest';
import { uploadAnnouncement, uploadMethod, uploadPercent, uploadQueueReducer, type UploadAction, type UploadItem } from './upload-queue';

const start: UploadAction = { type: 'started', id: 'u1', namespace: 'docs', path: 'a/b.txt', size: 200, resumable: false };

function run(...actions: UploadAction[]): UploadItem[] {
  return actions.reduce<UploadItem[]>(uploadQueueReducer, []);
}

describe('the upload queue', () => {
  it('adds a started upload at 0 bytes', () => {
    expect(run(start)).toEqual([
      { id: 'u1', namespace: 'docs', path: 'a/b.txt', size: 200, loaded: 0, status: 'uploading', resumable: false, resumed: false },
    ]);
  });

  it('moves progress forward only, and never past the size', () => {
    const [item] = run(start, { type: 'progress', id: 'u1', loaded: 120 }, { type: 'progress', id: 'u1', loaded: 80 });
    expect(item?.loaded).toBe(120);
    expect(run(start, { type: 'progress', id: 'u1', loaded: 999 })[0]?.loaded).toBe(200);
  });

  it('ignores events that arrive after the upload ended', () => {
    const items = run(start, { type: 'cancelled', id: 'u1' }, { type: 'progress', id: 'u1', loaded: 150 }, { type: 'succeeded', id: 'u1' });
    expect(items[0]).toMatchObject({ status: 'cancelled', loaded: 0 });
  });

  it('keeps the reason of a failure', () => {
    expect(run(start, { type: 'failed', id: 'u1', error: 'quota exceeded' })[0]).toMatchObject({
      status: 'failed',
      error: 'quota exceeded',
    });
  });

  it('dismisses and clears only finished uploads', () => {
    const second: UploadAction = { ...start, id: 'u2', path: 'c.txt' };
    const items = run(start, second, { type: 'succeeded', id: 'u1' });
    expect(uploadQueueReducer(items, { type: 'dismissed', id: 'u2' })).toHaveLength(2);
    expect(uploadQueueReducer(items, { type: 'dismissed', id: 'u1' }).map((item) => item.id)).toEqual(['u2']);
    expect(uploadQueueReducer(items, { type: 'clearedFinished' }).map((item) => item.id)).toEqual(['u2']);
  });

  it('returns the same array when nothing changed (no re-render)', () => {
    const items = run(start, { type: 'succeeded', id: 'u1' });
    expect(uploadQueueReducer(items, { type: 'progress', id: 'u1', loaded: 1 })).toBe(items);
    expect(uploadQueueReducer(items, { type: 'progress', id: 'nobody', loaded: 1 })).toBe(items);
  });

  it('marks a resumed upload', () => {
    expect(run({ ...start, resumable: true }, { type: 'resumed', id: 'u1' })[0]?.resumed).toBe(true);
  });
});

describe('uploadPercent', () => {
  it('stops at 99 until the server confirmed the file', () => {
    const [sent] = run(start, { type: 'progress', id: 'u1', loaded: 200 });
    expect(uploadPercent(sent!)).toBe(99);
    expect(uploadPercent(run(start, { type: 'succeeded', id: 'u1' })[0]!)).toBe(100);
  });

  it('rounds down and handles empty files', () => {
    expect(uploadPercent(run(start, { type: 'progress', id: 'u1', loaded: 3 })[0]!)).toBe(1);
    const empty: UploadAction = { ...start, size: 0 };
    expect(uploadPercent(run(empty)[0]!)).toBe(0);
    expect(uploadPercent(run(empty, { type: 'succeeded', id: 'u1' })[0]!)).toBe(100);
  });
});

describe('uploadAnnouncement', () => {
  it('names the file and the outcome', () => {
    expect(uploadAnnouncement(run(start, { type: 'succeeded', id: 'u1' })[0]!)).toBe('b.txt uploaded.');
    expect(uploadAnnouncement(run(start, { type: 'failed', id: 'u1', error: 'disk full' })[0]!)).toBe('Upload of b.txt failed: disk full');
    expect(uploadAnnouncement(run(start, { type: 'cancelled', id: 'u1' })[0]!)).toBe('Upload of b.txt cancelled.');
    expect(uploadAnnouncement(run(start)[0]!)).toBe('');
  });
});

describe('uploadMethod', () => {
  it('sends big files with tus', () => {
    expect(uploadMethod(8 * 1024 * 1024 - 1)).toBe('post');
    expect(uploadMethod(8 * 1024 * 1024)).toBe('tus');
    expect(uploadMethod(10, 5)).toBe('tus');
  });
});
