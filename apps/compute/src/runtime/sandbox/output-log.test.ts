import { appendFile, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastLines, readLog, rotateIfLarge } from './output-log';

describe('output log', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edd-output-log-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('tails the last lines, dropping a partial first line when it reads only the end', async () => {
    const file = join(dir, 'tail.log');
    await writeFile(file, Array.from({ length: 100 }, (_, index) => `line ${index}`).join('\n') + '\n');
    expect((await lastLines(file, 3)).lines).toEqual(['line 97', 'line 98', 'line 99']);
    // 20 bytes from the end start inside 'line 97': that fragment is not a line.
    expect((await lastLines(file, 1000, 20)).lines).toEqual(['line 98', 'line 99']);
    expect((await lastLines(join(dir, 'missing.log'), 5)).lines).toEqual([]);
  });

  it('rotates by copy and truncate once over the bound', async () => {
    const file = join(dir, 'rotate.log');
    await writeFile(file, 'x'.repeat(100));
    expect(await rotateIfLarge(file, 200)).toBe(false);
    await appendFile(file, 'y'.repeat(150));
    expect(await rotateIfLarge(file, 200)).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('');
    expect((await readFile(`${file}.1`, 'utf8')).length).toBe(250);
  });

  it('follows appended lines, across a truncation, until aborted', async () => {
    const file = join(dir, 'follow.log');
    await writeFile(file, 'old\n');
    const controller = new AbortController();
    const lines: string[] = [];
    const reading = (async () => {
      for await (const line of readLog(file, { tail: 1, follow: true, signal: controller.signal, pollMs: 20 })) {
        lines.push(line);
        if (lines.length === 3) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await appendFile(file, 'new 1\npart');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await truncate(file, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await appendFile(file, 'after rotation\n');
    await reading;
    expect(lines).toEqual(['old', 'new 1', 'partafter rotation']);
  });
});
