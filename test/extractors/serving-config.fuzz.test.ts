import fc from 'fast-check';
import { extractor } from '../../src/extractors/serving-config/index.js';
import { LineIndex } from '../../src/util/text.js';
import type { Extraction, Location } from '../../src/types.js';

/** Characters that matter to the syntax this extractor reads, plus ordinary text. */
const SYNTAX = [...'\\\'"`$#:=-{}[](),;&|<>@ \t\r\n/.'];
const WORDS = [
  'FROM ',
  'ADAPTER ',
  '"""',
  'hf.co/',
  'org/model',
  '--model ',
  '--revision ',
  'MODEL_ID=',
  'base_model: ',
  'datasets:\n  - path: ',
  'services:\n',
  'apiVersion: v1\nkind: Pod\n',
  'command: ',
  'vllm serve ',
  '${X:-',
  'sh -c "',
  'ENV ',
  'RUN ',
  'CMD [',
  '_component_: torchtune.datasets.x\n',
  'source: ',
];
const text = fc
  .array(
    fc.oneof(fc.constantFrom(...SYNTAX), fc.constantFrom(...WORDS), fc.string({ maxLength: 8 })),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

const PATHS = [
  'Modelfile',
  'config.yaml',
  'docker-compose.yml',
  'k8s/app.yaml',
  'Dockerfile',
  'serve.sh',
  '.env',
];

function locations(out: Extraction): Location[] {
  return [
    ...out.references,
    ...out.references.flatMap((r) => (r.revisionSpan ? [r.revisionSpan] : [])),
    ...out.weights,
    ...out.facts,
    ...out.problems,
  ];
}

describe('serving-config extractor on arbitrary text', () => {
  it('never throws and keeps every location inside the file', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...PATHS), (input, path) => {
        const out = extractor.extract({ path, text: input });
        const lines = new LineIndex(input);
        for (const loc of locations(out)) {
          expect(loc.file).toBe(path);
          expect(loc.line).toBeGreaterThanOrEqual(1);
          expect(loc.line).toBeLessThanOrEqual(lines.lineCount);
          expect(loc.column).toBeGreaterThanOrEqual(1);
          expect(loc.column).toBeLessThanOrEqual(lines.lineText(loc.line).length + 1);
        }
      }),
      { numRuns: 400 },
    );
  });
});
