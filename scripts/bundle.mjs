// Builds the two committed entry points, everything inlined, so the runner needs no
// node_modules and the CLI works with `npx` from a tarball. The Action is one file; the CLI
// keeps the GitHub App in lazily loaded chunks. dist/ is emptied first so no stale chunk stays.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { actionBuildOptions, cliBuildOptions } from './bundle-options.mjs';

rmSync('dist', { recursive: true, force: true });
await build(actionBuildOptions('dist/index.js'));
await build(cliBuildOptions('dist/cli.js'));
