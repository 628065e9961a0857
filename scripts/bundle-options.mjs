// esbuild options for the committed entry points, shared by scripts/bundle.mjs and the
// end-to-end tests (which build the Action the same way into a temporary folder).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const banner = {
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  js: "import { createRequire as __lscgCreateRequire } from 'node:module'; const require = __lscgCreateRequire(import.meta.url);",
};

const common = {
  bundle: true,
  platform: 'node',
  // Prefer ESM entry points: jsonc-parser's "main" is a UMD build esbuild cannot follow.
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner,
  define: { __LSCG_VERSION__: JSON.stringify(version) },
  absWorkingDir: ROOT,
};

/** The Action's entry (`runs.main` in action.yml). */
export function actionBuildOptions(outfile) {
  return { ...common, entryPoints: ['src/index.ts'], outfile };
}

/**
 * The CLI's entry (`bin` in package.json), written to `outfile`. Split into chunks: `serve` (the
 * GitHub App: octokit, BullMQ, ioredis) is imported lazily, and in a single file its code would
 * still be parsed on every `scan`, slowing the CLI's cold start. Chunks go next to the entry.
 */
export function cliBuildOptions(outfile) {
  return {
    ...common,
    entryPoints: { [path.basename(outfile, '.js')]: 'src/cli.ts' },
    outdir: path.dirname(outfile),
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: '#!/usr/bin/env node\n' + banner.js },
  };
}
