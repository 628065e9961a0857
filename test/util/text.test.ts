import { decodeText, LineIndex, looksBinary } from '../../src/util/text.js';

describe('LineIndex', () => {
  it('maps offsets to 1-based lines and columns', () => {
    const idx = new LineIndex('ab\ncd\n\nef');
    expect(idx.position(0)).toEqual({ line: 1, column: 1 });
    expect(idx.position(4)).toEqual({ line: 2, column: 2 });
    expect(idx.position(7)).toEqual({ line: 4, column: 1 });
    expect(idx.lineCount).toBe(4);
    expect(idx.lineText(2)).toBe('cd');
  });

  it('counts CRLF lines as an editor does', () => {
    const text = 'a\r\nb\r\nc';
    const idx = new LineIndex(text);
    expect(idx.position(text.indexOf('c'))).toEqual({ line: 3, column: 1 });
    expect(idx.lineText(1)).toBe('a');
  });

  it('builds one-line spans only', () => {
    const idx = new LineIndex('x = "abc"\ny');
    expect(idx.span('f', 5, 8)).toEqual({
      file: 'f',
      line: 1,
      column: 6,
      endColumn: 9,
      text: 'abc',
    });
    expect(idx.span('f', 5, 11)).toBeNull();
  });
});

describe('decodeText / looksBinary', () => {
  it('drops a BOM and replaces invalid UTF-8', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
    expect(decodeText(new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
  });
  it('treats NUL bytes as binary', () => {
    expect(looksBinary(new Uint8Array([1, 0, 2]))).toBe(true);
    expect(looksBinary(new TextEncoder().encode('plain'))).toBe(false);
  });
});
