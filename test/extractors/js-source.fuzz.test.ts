import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { extractor } from '../../src/extractors/js-source/index.js';
import type { Extraction, Location } from '../../src/types.js';
import { LineIndex } from '../../src/util/text.js';

const DIR = fileURLToPath(new URL('../fixtures/js-source/', import.meta.url));
const FIXTURES = readdirSync(DIR)
  .filter((f) => extractor.match(f))
  .map((f) => readFileSync(DIR + f, 'utf8'));

/** Pieces of JS/TS syntax the tokenizer and call reader care about. */
const PIECES = [
  ...'\\\'"`#()[]{},.:;=*/\n\r\t <>',
  '${',
  '/*',
  '*/',
  '//',
  '/[a-z]/g',
  'from_pretrained(',
  'AutoModel.',
  'pipeline(',
  'downloadFile({ repo: ',
  '{ type: "dataset", name: ',
  'revision: ',
  'const MODEL = ',
  '"org/model"',
  'this.model_id',
  'static model_id = ',
  'return ',
  'transformers',
  'é',
  '🤗',
];

function inside(text: string, out: Extraction): void {
  const lines = new LineIndex(text);
  const places: Location[] = [...out.references, ...out.weights, ...out.facts, ...out.problems];
  for (const p of places) {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lines.lineCount);
    expect(p.column).toBeGreaterThanOrEqual(1);
    expect(p.column).toBeLessThanOrEqual(lines.lineText(p.line).length + 1);
  }
  // Only syntax problems: a caught exception would surface as some other message.
  for (const p of out.problems) expect(p.message).toMatch(/^(?:unterminated |invalid JSON)/);
}

describe('js-source fuzz', () => {
  it('never throws and keeps every position inside the file', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        inside(text, extractor.extract({ path: 'f.ts', text }));
      }),
      { numRuns: 400 },
    );
  });

  it('survives truncated real files', () => {
    fc.assert(
      fc.property(
        fc.nat(FIXTURES.length - 1),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (k, cut) => {
          const full = FIXTURES[k] as string;
          const text = full.slice(0, Math.floor(full.length * cut));
          const out = extractor.extract({ path: 'cut.tsx', text });
          inside(text, out);
        },
      ),
      { numRuns: 200 },
    );
  });
});
