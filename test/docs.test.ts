import { readFileSync } from 'node:fs';
import { EXTRACTORS } from '../src/extractors/index.js';
import { RULES } from '../src/rules.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const action = readFileSync(new URL('../action.yml', import.meta.url), 'utf8');

/** The README is the user's reference: every public id must be documented there. */
describe('README', () => {
  it.each(Object.keys(RULES))('documents rule %s', (id) => {
    expect(readme).toContain(`\`${id}\``);
  });

  it.each(EXTRACTORS.map((e) => e.id))('documents file kind %s', (id) => {
    expect(readme).toContain(`\`${id}\``);
  });

  it('documents every action input and output', () => {
    const names = [...action.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map((m) => m[1] as string);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) expect(readme).toContain(`\`${name}\``);
  });

  it('has the two quick-start commands', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });
});
