import { applyPinEdits, gitBlobSha, type PinEdit } from '../../src/github/pin-edits.js';

const OLD = '1111111111111111111111111111111111111111';
const NEW = '2222222222222222222222222222222222222222';
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const edit = (line: number, column: number, expected = OLD, replacement = NEW): PinEdit => ({
  line,
  column,
  endColumn: column + expected.length,
  expected,
  replacement,
});

describe('applyPinEdits', () => {
  it('replaces exactly the span and keeps CRLF line endings and a missing final newline', () => {
    const text = `a = 1\r\nload("m", revision="${OLD}")\r\nb = 2`;
    const out = applyPinEdits(enc(text), [edit(2, 21)]);
    expect(out).toEqual({ ok: true, changed: true, bytes: expect.any(Uint8Array) });
    expect(dec((out as { bytes: Uint8Array }).bytes)).toBe(text.replace(OLD, NEW));
  });

  it('keeps a byte order mark; columns count from after it, as the extractors do', () => {
    const text = `\uFEFF{\n  "revision": "${OLD}"\n}\n`;
    const out = applyPinEdits(enc(text), [edit(2, 16)]);
    expect(out.ok && Array.from(out.bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(out.ok && dec(out.bytes)).toBe(text.replace(OLD, NEW));
  });

  it('counts columns in UTF-16 units past multi-byte characters', () => {
    const text = `# モデル 🤗\nname = "m"  # ✓ rev=${OLD}\n`;
    const column = text.split('\n')[1]!.indexOf(OLD) + 1;
    const out = applyPinEdits(enc(text), [edit(2, column)]);
    expect(out.ok && dec(out.bytes)).toBe(text.replace(OLD, NEW));
  });

  it('applies several edits on one line and in one file, and one edit named twice once', () => {
    const text = `x("${OLD}", "${OLD}")\ny = "${OLD}"\n`;
    const out = applyPinEdits(enc(text), [edit(1, 4), edit(1, 48), edit(2, 6), edit(2, 6)]);
    expect(out.ok && dec(out.bytes)).toBe(text.replaceAll(OLD, NEW));
  });

  it('refuses a span whose text moved since the scan', () => {
    const text = `\nload("m", revision="${OLD}")\n`;
    expect(applyPinEdits(enc(text), [edit(2, 20)])).toEqual({
      ok: false,
      reason: `line 2 no longer has "${OLD}" at column 20`,
    });
    expect(applyPinEdits(enc(text), [edit(9, 1)])).toEqual({
      ok: false,
      reason: 'line 9 does not exist any more',
    });
  });

  it('refuses a span that would run past its line', () => {
    const text = `abc\n${OLD.slice(0, 10)}\n${OLD.slice(10)}\n`;
    expect(applyPinEdits(enc(text), [edit(2, 1)]).ok).toBe(false);
  });

  it('refuses files that are not UTF-8, where a round trip would change bytes', () => {
    const bytes = new Uint8Array([...enc(`rev = "${OLD}" `), 0xff, 0x0a]);
    expect(applyPinEdits(bytes, [edit(1, 8)])).toEqual({
      ok: false,
      reason: 'the file is not UTF-8 text',
    });
  });

  it('reports an edit to the same text as no change', () => {
    const text = `rev = "${NEW}"\n`;
    const out = applyPinEdits(enc(text), [edit(1, 8, NEW, NEW)]);
    expect(out).toEqual({ ok: true, changed: false, bytes: enc(text) });
  });
});

describe('gitBlobSha', () => {
  it('equals git hash-object', () => {
    // `printf 'hello\r\nworld\n' | git hash-object --stdin`
    expect(gitBlobSha(enc('hello\r\nworld\n'))).toBe('c78c5056793fb2d4e9a1917b0272c4a91e3135a7');
    expect(gitBlobSha(enc(''))).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
});
