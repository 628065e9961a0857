// Runs inside a worker thread so a hanging extractor can be stopped from outside.
// workerData: { bundle, extractorId, seeds: [{ path, text }], runs, seed }
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';

const { EXTRACTORS } = await import(workerData.bundle);
const extractor = EXTRACTORS.find((e) => e.id === workerData.extractorId);

const SYNTAX = [...'\\\'"`$#:=-{}[](),;&|<>@ \t\r\n/.*!%\u0000\ufeff\u2028'];

/** Pieces of the syntaxes the extractors read: keys, calls, flags, quoting, nesting. */
const WORDS = [
  // Modelfiles, shell, Dockerfiles, compose and k8s
  'FROM ',
  'ADAPTER ',
  '"""',
  'hf.co/',
  '--model ',
  '--revision ',
  '--trust-remote-code',
  'MODEL_ID=',
  'services:\n',
  'apiVersion: v1\nkind: Pod\n',
  'command: ',
  'vllm serve ',
  '${X:-',
  'sh -c "',
  'ENV ',
  'RUN ',
  'CMD [',
  'huggingface-cli download ',
  // YAML training configs, DVC, conda, cards
  '---\n',
  'base_model: ',
  'datasets:\n  - path: ',
  '_component_: torchtune.datasets.x\n',
  'source: ',
  'outs:\n- md5: ',
  'dependencies:\n  - pip:\n    - ',
  '&a ',
  '*a',
  '!!python/object ',
  // JSON configs, indexes, lockfiles
  '{"_name_or_path": "',
  '"auto_map": {',
  '"weight_map": {',
  '"revision": ',
  '"packages": {',
  '"node_modules/',
  '"version": "',
  'null',
  '\\u0000',
  // TOML
  '[project]\n',
  'dependencies = [',
  '[[package]]\nname = "',
  'version = "',
  "'''",
  // Python and JS
  'from_pretrained(',
  'AutoModel.',
  'pipeline(',
  'load_dataset(',
  'hf_hub_download(',
  'trust_remote_code=True',
  'torch.load(',
  'weights_only=False',
  'revision=',
  'MODEL = ',
  'f"',
  'rb"',
  'def f(',
  '/*',
  '*/',
  '//',
  '/[a-z]/g',
  '{ revision: ',
  'const MODEL = ',
  '`${',
  'downloadFile({ repo: ',
  '{ type: "dataset", name: ',
  // requirements
  'torch==',
  ' @ git+https://github.com/o/r@',
  ' ; python_version < "3.11"',
  ' --hash=sha256:',
  '-r ',
  // ids and paths
  'org/model',
  '"org/model"',
  'gpt2',
  './ckpt',
  '/models/x',
  'é',
  '🤗',
];

/** Random text made of the extractors' own syntax, so parsers get past their first token. */
const vocabularyText = fc
  .array(
    fc.oneof(fc.constantFrom(...SYNTAX), fc.constantFrom(...WORDS), fc.string({ maxLength: 8 })),
    {
      maxLength: 80,
    },
  )
  .map((parts) => parts.join(''));

/** A mutation of a real file: cut, duplicate, splice syntax, truncate, swap line endings. */
function mutate(text, ops) {
  let t = text;
  for (const op of ops) {
    const at = t.length === 0 ? 0 : op.pos % (t.length + 1);
    switch (op.kind) {
      case 'delete':
        t = t.slice(0, at) + t.slice(at + op.len);
        break;
      case 'insert':
        t = t.slice(0, at) + op.chunk + t.slice(at);
        break;
      case 'duplicate':
        t = t.slice(0, at) + t.slice(at, at + op.len) + t.slice(at);
        break;
      case 'truncate':
        t = t.slice(0, at);
        break;
      case 'crlf':
        t = t.replace(/\n/g, '\r\n');
        break;
    }
  }
  return t;
}

const op = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'truncate', 'crlf'),
  pos: fc.nat(),
  len: fc.integer({ min: 1, max: 200 }),
  chunk: fc.oneof(
    fc.constantFrom(...SYNTAX),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
  ),
});

function lineCount(text) {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function lineLength(text, line) {
  const lines = text.split('\n');
  return (lines[line - 1] ?? '').length;
}

function check(path, text) {
  parentPort.postMessage({ type: 'input', path, text });
  const out = extractor.extract({ path, text });
  const n = lineCount(text);
  const locations = [
    ...out.references,
    ...out.references.flatMap((r) => (r.revisionSpan ? [r.revisionSpan] : [])),
    ...out.weights,
    ...out.facts,
    ...out.problems,
  ];
  for (const l of locations) {
    const ok =
      l.file === path &&
      Number.isInteger(l.line) &&
      Number.isInteger(l.column) &&
      l.line >= 1 &&
      l.line <= n &&
      l.column >= 1 &&
      l.column <= lineLength(text, l.line) + 1;
    if (!ok)
      throw new Error(`location outside the file: ${JSON.stringify(l)} (file has ${n} lines)`);
  }
}

try {
  fc.assert(
    fc.property(
      fc.constantFrom(...workerData.seeds),
      fc.array(op, { minLength: 1, maxLength: 6 }),
      (seed, ops) => {
        check(seed.path, mutate(seed.text, ops));
      },
    ),
    { numRuns: workerData.runs, seed: workerData.seed },
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...workerData.seeds.map((s) => s.path)),
      fc.string({ maxLength: 400 }),
      (path, text) => {
        check(path, text);
      },
    ),
    { numRuns: Math.ceil(workerData.runs / 2), seed: workerData.seed },
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...workerData.seeds.map((s) => s.path)),
      vocabularyText,
      (path, text) => {
        check(path, text);
      },
    ),
    { numRuns: workerData.runs, seed: workerData.seed },
  );
  parentPort.postMessage({ type: 'done' });
} catch (error) {
  parentPort.postMessage({
    type: 'failed',
    message: String(error?.message ?? error).slice(0, 4000),
  });
}
