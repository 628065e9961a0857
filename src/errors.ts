/** Typed errors: each layer throws its own, and only the entry points turn them into exits. */

/** A bad input, flag or policy file. Names what was wrong so the user can fix it. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** A file the engine could not read as its kind; becomes a parse-error finding, never a crash. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** An upstream answered badly or not at all. `transient` errors (429, 5xx, timeouts) are retried. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    message: string,
    readonly registry: string,
    readonly status: number | null,
    readonly transient: boolean,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}
