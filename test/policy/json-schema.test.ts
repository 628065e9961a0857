import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { RULES } from '../../src/rules.js';
import { parsePolicy, PolicyError } from '../../src/policy/schema.js';
import { THRESHOLD_KEYS } from '../../src/policy/types.js';

/**
 * The JSON Schema is for editors; the loader is what runs. They must agree on every example:
 * what one accepts the other accepts, what one rejects the other rejects (except what a JSON
 * Schema cannot see, in loader-only/).
 */
const ROOT = path.resolve('.');
const FIXTURES = path.join(ROOT, 'test/fixtures/policy');
const schema = JSON.parse(
  readFileSync(path.join(ROOT, 'schema/llm-supply-chain.schema.json'), 'utf8'),
);
const validate = new Ajv({ allErrors: true }).compile(schema);

/** What an editor's YAML parser hands the schema: plain data, the last duplicate key winning. */
function plain(text: string): unknown {
  return parseYaml(text, { uniqueKeys: false });
}

function files(dir: string): string[] {
  return readdirSync(path.join(FIXTURES, dir))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => path.join(dir, f));
}

/** How many problems the loader finds: 0 when it accepts the file. */
function loaderProblems(rel: string, text: string): number {
  try {
    parsePolicy(text, rel);
    return 0;
  } catch (error) {
    if (error instanceof PolicyError) return error.problems.length;
    throw error;
  }
}

describe('policy JSON Schema and loader agree', () => {
  const valid = [
    ...files('valid').map((f) => path.join('test/fixtures/policy', f)),
    'examples/policies/commercial.yml',
  ];

  it.each(valid)('both accept %s', (file) => {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    expect(validate(plain(text))).toBe(true);
    expect(validate.errors ?? null).toBeNull();
    expect(loaderProblems(file, text)).toBe(0);
  });

  it.each(files('invalid'))('both reject %s', (rel) => {
    const text = readFileSync(path.join(FIXTURES, rel), 'utf8');
    expect(validate(plain(text))).toBe(false);
    // Each file has one mistake, so one problem: the loader rejects it for that reason.
    expect(loaderProblems(rel, text)).toBe(1);
  });

  it.each(files('loader-only'))('the loader rejects %s (beyond what a JSON Schema sees)', (rel) => {
    const text = readFileSync(path.join(FIXTURES, rel), 'utf8');
    expect(validate(plain(text))).toBe(true);
    expect(loaderProblems(rel, text)).toBe(1);
  });

  it('lists exactly the engine rule ids and threshold keys', () => {
    expect([...schema.definitions.ruleId.enum].sort()).toEqual(Object.keys(RULES).sort());
    const thresholds = (name: string) =>
      Object.keys(schema.definitions[name].anyOf[2].properties.thresholds.properties);
    expect({
      'revision-drift': thresholds('revisionDriftSetting'),
      'dependency-drift': thresholds('dependencyDriftSetting'),
    }).toEqual(THRESHOLD_KEYS);
    expect(Object.keys(schema.definitions.rules.properties).sort()).toEqual(
      Object.keys(THRESHOLD_KEYS).sort(),
    );
  });
});
