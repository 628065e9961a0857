import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/lfs-pointer/index.js';

const fixture = (path: string) =>
  readFileSync(new URL(`../fixtures/lfs-pointer/${path}`, import.meta.url), 'utf8');
const extract = (path: string, text = fixture(path)) => extractor.extract({ path, text });

const OID = 'a41fd0fd2ab25fe0553b47b8777f49ad68866d2878ba374bf8cc3b0ed6421490';

describe('lfs-pointer extractor', () => {
  it('matches weights-like file names and only small files', () => {
    for (const p of [
      'model.safetensors',
      'ckpt/pytorch_model.bin',
      'a.pt',
      'a.pth',
      'a.ckpt',
      'a.pkl',
      'm.gguf',
      'm.onnx',
      'm.h5',
      'm.keras',
      'flax_model.msgpack',
      'tokenizer.model',
      'm.pickle',
      'm.joblib',
      'arrays.npz',
      'MODEL.SAFETENSORS',
    ]) {
      expect([p, extractor.match(p)]).toEqual([p, true]);
    }
    expect(extractor.match('model.safetensors.index.json')).toBe(false);
    expect(extractor.match('README.md')).toBe(false);
    expect(extractor.maxBytes).toBe(1024);
  });

  it('reads a real safetensors pointer', () => {
    const path = 'granite/model-00001-of-00002.safetensors';
    expect(extract(path)).toEqual({
      references: [],
      facts: [],
      problems: [],
      weights: [
        {
          file: path,
          line: 1,
          column: 1,
          name: path,
          format: 'safetensors',
          origin: 'lfs-pointer',
          sha256: OID,
          size: 4923019144,
        },
      ],
    });
  });

  it('classifies a pickle shard and a tokenizer model', () => {
    const bin = extract('vicuna-7b-delta-v0/pytorch_model-00001-of-00002.bin').weights;
    expect(bin.map((w) => [w.format, w.sha256, w.size])).toEqual([
      ['pickle', 'b2b66e79605d647ecce8d9b4bd9b14ce091e1724bf5b4699ba7d7869d1cb886c', 9976642750],
    ]);
    const tok = extract('vicuna-7b-delta-v0/tokenizer.model').weights;
    expect(tok.map((w) => [w.format, w.sha256, w.size])).toEqual([
      ['other', '9e556afd44213b6bd1be2b850ebbbd98f5481437a8021afaf58ee7fb1818d347', 499723],
    ]);
    const phi = extract('phi3-slerp/model-00002-of-00002.safetensors').weights;
    expect(phi.map((w) => [w.sha256, w.size])).toEqual([
      ['96962bebe5b166c889f0b5e794fd0526a7e5b907e593aa536ae9ed6feeb2adfc', 2667733072],
    ]);
  });

  it('reads a pointer checked out with CRLF line endings', () => {
    const text = fixture('granite/model-00001-of-00002.safetensors').replace(/\n/g, '\r\n');
    const r = extract('model.safetensors', text);
    expect(r.problems).toEqual([]);
    expect(r.weights.map((w) => [w.sha256, w.size])).toEqual([[OID, 4923019144]]);
  });

  it('reports a malformed oid at its line', () => {
    const text = `version https://git-lfs.github.com/spec/v1\noid sha256:${OID.slice(0, 40)}\nsize 12\n`;
    expect(extractor.extract({ path: 'model.bin', text })).toEqual({
      references: [],
      weights: [],
      facts: [],
      problems: [
        {
          file: 'model.bin',
          line: 2,
          column: 1,
          message:
            'malformed LFS pointer oid line, expected "oid sha256:<64 lowercase hex digits>"',
        },
      ],
    });
  });

  it('reports a malformed or missing size', () => {
    const bad = `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 12kb\n`;
    expect(extractor.extract({ path: 'model.pt', text: bad }).problems).toEqual([
      {
        file: 'model.pt',
        line: 3,
        column: 1,
        message: 'malformed LFS pointer size line, expected "size <bytes>"',
      },
    ]);
    const missing = `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\n`;
    expect(extractor.extract({ path: 'model.pt', text: missing }).problems).toEqual([
      { file: 'model.pt', line: 1, column: 1, message: 'LFS pointer has no size line' },
    ]);
  });

  it('finds nothing in a text file that is not a pointer', () => {
    const empty = { references: [], weights: [], facts: [], problems: [] };
    expect(extractor.extract({ path: 'notes.pkl', text: 'just some text\n' })).toEqual(empty);
    expect(extractor.extract({ path: 'x.bin', text: 'version 2\noid 1\n' })).toEqual(empty);
    expect(extractor.extract({ path: 'x.bin', text: '' })).toEqual(empty);
  });
});
