import type { Extraction, ParseProblem } from '../types.js';

export function emptyExtraction(): Extraction {
  return { references: [], weights: [], facts: [], problems: [] };
}

export function problemOnly(problem: ParseProblem): Extraction {
  return { ...emptyExtraction(), problems: [problem] };
}

/** Message of an unknown thrown value, for parse-error findings. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
