import type { Extraction, Reference } from '../../types.js';
import { hubReference } from '../references.js';
import { LineIndex } from '../../util/text.js';
import { variableReference, wordEnd, wordStart, type Word } from './shell.js';

export const ID = 'serving-config';

export interface HubOptions {
  kind: 'model' | 'dataset';
  via: string;
  bare: boolean;
  revision?: Word | null;
  trustRemoteCode?: boolean;
  filename?: string;
  /** Keep as a separate reference even when the same id sits at the same place (`--code-revision`). */
  separate?: boolean;
}

/** A variable assignment seen in the file: `MODEL=org/x`, `ENV MODEL_ID=…`, a compose env entry. */
export interface Assignment {
  name: string;
  value: Word;
}

/**
 * Collects references for one file. The same id at the same place is often reached twice (an
 * env entry, then `--model $MODEL_ID` pointing at it): those merge into one reference that keeps
 * the first `via` and gains any revision or trust_remote_code found the second time.
 */
export class Emitter {
  readonly out: Extraction = { references: [], weights: [], facts: [], problems: [] };
  readonly lines: LineIndex;
  private readonly byPlace = new Map<string, Reference>();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  hub(word: Word, options: HubOptions): Reference | null {
    const revision = options.revision ? this.revision(options.revision) : null;
    const ref = hubReference({
      raw: word.text,
      kind: options.kind,
      at: this.lines.location(this.file, wordStart(word)),
      extractor: ID,
      via: options.via,
      bare: options.bare,
      revision: revision?.text ?? null,
      revisionSpan: revision?.span,
      trustRemoteCode: options.trustRemoteCode,
      filename: options.filename,
    });
    if (!ref) return null;
    if (options.separate) {
      this.out.references.push(ref);
      return ref;
    }
    const key = `${ref.kind}|${ref.id}|${ref.line}|${ref.column}`;
    const seen = this.byPlace.get(key);
    if (!seen) {
      this.byPlace.set(key, ref);
      this.out.references.push(ref);
      return ref;
    }
    mergeInto(seen, ref);
    return seen;
  }

  trustFact(word: Word, detail: string): void {
    const span = this.lines.span(this.file, wordStart(word), wordEnd(word)) ?? undefined;
    this.out.facts.push({
      type: 'remote-code',
      via: 'trust_remote_code',
      detail,
      ...this.lines.location(this.file, wordStart(word)),
      ...(span ? { span } : {}),
    });
  }

  /** Revision text and, when it sits on one line exactly as written, its span for a pin fix. */
  private revision(word: Word): { text: string; span?: Reference['revisionSpan'] } | null {
    const text = word.text.trim();
    if (!text || variableReference(word) || /[$`]/.test(text)) return null;
    const start = wordStart(word);
    const contiguous = wordEnd(word) - start === word.text.length;
    const span = contiguous
      ? (this.lines.span(this.file, start, wordEnd(word)) ?? undefined)
      : undefined;
    return { text, span };
  }
}

function mergeInto(seen: Reference, ref: Reference): void {
  if (!seen.revision && ref.revision) {
    seen.revision = ref.revision;
    seen.pinned = ref.pinned;
    if (ref.revisionSpan) seen.revisionSpan = ref.revisionSpan;
  }
  if (ref.trustRemoteCode) seen.trustRemoteCode = true;
  if (!seen.filename && ref.filename) seen.filename = ref.filename;
}
