import type { BuildOptions } from 'esbuild';

export const ROOT: string;
export function actionBuildOptions(outfile: string): BuildOptions;
export function cliBuildOptions(outfile: string): BuildOptions;
