// `npm run demo`: runs the Action's main job (dist/index.js) exactly as the GitHub runner does,
// on the bundled example repository, and prints what a reviewer would see: the job summary,
// the annotations and the step outputs. Needs no network and no GitHub token.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = 'examples/fine-tune-and-serve';
const work = mkdtempSync(path.join(tmpdir(), 'lscg-demo-'));
const summaryFile = path.join(work, 'step-summary.md');
const outputFile = path.join(work, 'github-output');
// The runner creates both files before the step starts.
writeFileSync(summaryFile, '');
writeFileSync(outputFile, '');

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GITHUB_ACTIONS: 'true',
  GITHUB_WORKSPACE: root,
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  GITHUB_REPOSITORY: 'acme/support-llm',
  GITHUB_STEP_SUMMARY: summaryFile,
  GITHUB_OUTPUT: outputFile,
  INPUT_PATH: example,
  'INPUT_FAIL-ON': 'none',
  INPUT_OFFLINE: 'true',
};
for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];

console.log(`Running dist/index.js on ${example} as the Actions runner would…\n`);
const run = spawnSync(process.execPath, [path.join(root, 'dist/index.js')], {
  env,
  encoding: 'utf8',
});
const annotations = run.stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
console.log(`── ${annotations.length} annotations (shown inline on the pull request's files) ──`);
for (const line of annotations.slice(0, 8))
  console.log(line.length > 180 ? line.slice(0, 177) + '…' : line);
if (annotations.length > 8) console.log(`… and ${annotations.length - 8} more`);
console.log('\n── job summary (GITHUB_STEP_SUMMARY) ──\n');
console.log(readFileSync(summaryFile, 'utf8'));
console.log('── step outputs (GITHUB_OUTPUT) ──');
const outputs =
  readFileSync(outputFile, 'utf8').match(/^[\w-]+<<ghadelimiter_[^\n]+\n[^\n]*/gm) ?? [];
for (const o of outputs) {
  const [head, value] = o.split('\n');
  console.log(`${head.split('<<')[0]} = ${value}`);
}
if (run.status !== 0) {
  process.stderr.write(run.stderr);
  console.error(`\ndist/index.js exited with ${run.status}`);
  process.exit(run.status ?? 1);
}
console.log(`\nFiles kept in ${work}`);
