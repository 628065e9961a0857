// `npm run bench`: builds the benchmark (scripts/bench/*.ts, which reuses the test suite's
// stand-ins) and the two entry points with the committed bundle options into .bench/build, then
// runs it. Not part of the test suite; see BENCHMARKS.md.
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { actionBuildOptions, cliBuildOptions, ROOT } from './bundle-options.mjs';

process.chdir(ROOT);
const out = '.bench/build';
const script = (entry, outfile) => ({
  ...actionBuildOptions(outfile),
  entryPoints: [entry],
  // The benchmark itself needs no minifying; the scan child is minified like dist/.
  minify: entry.endsWith('scan-child.ts'),
});
await Promise.all([
  build(script('scripts/bench/main.ts', `${out}/main.mjs`)),
  build(script('scripts/bench/scan-child.ts', `${out}/scan-child.mjs`)),
  build(actionBuildOptions(`${out}/index.js`)),
  build(cliBuildOptions(`${out}/cli.js`)),
]);
const { runBench } = await import(pathToFileURL(path.join(ROOT, out, 'main.mjs')).href);
await runBench(process.argv.slice(2));
