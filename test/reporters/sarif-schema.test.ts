import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toSarif } from '../../src/reporters/sarif.js';
import { validate, type Schema } from '../github/json-schema.js';
import { OLD_FINDING, PIN_FIX_FINDING, prResult, REMOTE_CODE_FINDING } from './pr-fixtures.js';

const SCHEMA = JSON.parse(
  readFileSync(
    path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      '../fixtures/sarif/sarif-schema-2.1.0-subset.json',
    ),
    'utf8',
  ),
) as Schema;

describe('SARIF against the SARIF 2.1.0 schema upload-sarif uses', () => {
  const findings = [REMOTE_CODE_FINDING, PIN_FIX_FINDING, OLD_FINDING, { ...OLD_FINDING, line: 9 }];

  it('is valid, with repository-relative URIs under a monorepo prefix', () => {
    const sarif = toSarif(prResult(findings), { pathPrefix: 'ml' });
    expect(validate(sarif, SCHEMA, SCHEMA)).toEqual([]);
    const uris = sarif.runs[0]!.results.map(
      (r) => r.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris).toEqual([
      'ml/src/train.py',
      'ml/src/train.py',
      'ml/merged/pytorch_model.bin.index.json',
      'ml/merged/pytorch_model.bin.index.json',
    ]);
    const prints = sarif.runs[0]!.results.map(
      (r) => r.partialFingerprints['llmSupplyChainGuard/v1'],
    );
    expect(new Set(prints).size).toBe(4);
  });

  it('is valid with no findings (a clean run still uploads, closing old alerts)', () => {
    const sarif = toSarif(prResult([]));
    expect(validate(sarif, SCHEMA, SCHEMA)).toEqual([]);
    expect(sarif.runs[0]!.results).toEqual([]);
  });

  it('the check catches what code scanning would reject', () => {
    const sarif = toSarif(prResult([PIN_FIX_FINDING])) as unknown as {
      runs: { results: Record<string, unknown>[] }[];
    };
    const bad = structuredClone(sarif);
    delete bad.runs[0]!.results[0]!.message;
    (bad.runs[0]!.results[0] as { level: string }).level = 'fatal';
    expect(validate(bad, SCHEMA, SCHEMA)).toEqual([
      '$.runs[0].results[0]: missing required "message"',
      '$.runs[0].results[0].level: "fatal" is not one of ["none","note","warning","error"]',
    ]);
  });
});
