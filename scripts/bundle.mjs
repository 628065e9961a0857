// Builds the two committed entry points. One ESM file each, everything inlined, so the
// runner needs no node_modules and the CLI works with `npx` from a tarball.
import { build } from 'esbuild';
import { actionBuildOptions, cliBuildOptions } from './bundle-options.mjs';

await build(actionBuildOptions('dist/index.js'));
await build(cliBuildOptions('dist/cli.js'));
