import { describe, expect, it } from 'vitest';
import { encodeKeystrokes, noticeLine, parseTerminalNotice, resizeMessage, terminalQuery } from './terminal-protocol';

describe('encodeKeystrokes', () => {
  it('sends the UTF-8 bytes of what was typed, control characters included', () => {
    expect([...encodeKeystrokes('ls\r')]).toEqual([0x6c, 0x73, 0x0d]);
    expect([...encodeKeystrokes('\x03')]).toEqual([3]);
    expect([...encodeKeystrokes('é')]).toEqual([0xc3, 0xa9]);
  });
});

describe('resizeMessage', () => {
  it('is the JSON control message the server expects', () => {
    expect(JSON.parse(resizeMessage({ cols: 120, rows: 40 }))).toEqual({ type: 'resize', cols: 120, rows: 40 });
  });

  it('keeps sizes within 1–1000 whole cells', () => {
    expect(JSON.parse(resizeMessage({ cols: 0, rows: 5000 }))).toEqual({ type: 'resize', cols: 1, rows: 1000 });
    expect(JSON.parse(resizeMessage({ cols: 80.6, rows: 23.2 }))).toEqual({ type: 'resize', cols: 81, rows: 23 });
  });

  it('gives the same initial size in the query', () => {
    expect(terminalQuery({ cols: 132, rows: 0 })).toEqual({ cols: '132', rows: '1' });
  });
});

describe('parseTerminalNotice', () => {
  it('reads exit and error messages', () => {
    expect(parseTerminalNotice('{"type":"exit","code":130}')).toEqual({ type: 'exit', code: 130 });
    expect(parseTerminalNotice('{"type":"error","error":"container is not running"}')).toEqual({
      type: 'error',
      error: 'container is not running',
    });
  });

  it('ignores anything else', () => {
    expect(parseTerminalNotice('hello')).toBeUndefined();
    expect(parseTerminalNotice('null')).toBeUndefined();
    expect(parseTerminalNotice('{"type":"exit","code":"0"}')).toBeUndefined();
    expect(parseTerminalNotice('{"type":"resize","cols":1,"rows":1}')).toBeUndefined();
  });

  it('turns a notice into a line of its own for the terminal', () => {
    expect(noticeLine({ type: 'exit', code: 0 })).toBe('\r\n[the shell exited with code 0]\r\n');
    expect(noticeLine({ type: 'error', error: 'no shell' })).toBe('\r\n[error: no shell]\r\n');
  });
});
