import type { Extraction, ExtractInput, Extractor, Location, TextSpan } from '../../types.js';
import { emptyExtraction } from '../extraction.js';
import { basename } from '../../util/paths.js';
import { LineIndex } from '../../util/text.js';
import { parsePipLine, requirementReference } from './pep508.js';

const ID = 'pip-requirements';

export const extractor: Extractor = {
  id: ID,
  description:
    'pip requirements files (requirements*.txt, *requirements*.in, constraints*.txt, *.txt under ' +
    'requirements/): PEP 508 lines with extras, markers, hashes, URLs and VCS refs.',
  match: isRequirementsPath,
  extract: extractRequirements,
};

export function isRequirementsPath(path: string): boolean {
  const name = basename(path).toLowerCase();
  if (/requirements[^/]*\.(?:txt|in)$/.test(name)) return true;
  if (/^constraints[^/]*\.txt$/.test(name)) return true;
  return /\.(?:txt|in)$/.test(name) && !PROSE.test(name) && underRequirementsDir(path);
}

/** Notes that live beside requirement files but are not requirement files. */
const PROSE = /^(?:readme|license|licence|notice|changelog|authors)\b/;

function underRequirementsDir(path: string): boolean {
  return path.toLowerCase().split('/').slice(0, -1).includes('requirements');
}

const DEV_WORD =
  /(?:^|[^a-z])(?:dev|devel|develop|development|test|tests|testing|lint)(?:[^a-z]|$)/;

/** Dev-only by name: `requirements-dev.txt`, `test.txt`, or anything below `requirements/test/`. */
export function isDevRequirementsPath(path: string): boolean {
  const parts = path.toLowerCase().split('/');
  const at = parts.lastIndexOf('requirements', parts.length - 2);
  const named = at === -1 ? [parts[parts.length - 1] as string] : parts.slice(at + 1);
  return named.some((p) => DEV_WORD.test(p.replace(/\.(?:txt|in)$/, '')));
}

/** One requirement line after joining `\` continuations, and where each piece came from. */
interface LogicalLine {
  text: string;
  /** [offset in `text`, offset in the file] at the start of each physical piece. */
  pieces: [number, number][];
}

const COMMENT = /(^|\s)#/;

/**
 * Joins continuation lines the way pip does: a line ending in `\` continues, unless it is a
 * comment line, which ends the logical line instead.
 */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: LogicalLine | null = null;
  let offset = 0;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const target: LogicalLine = current ?? { text: '', pieces: [] };
    const continues = line.endsWith('\\') && !COMMENT.test(line);
    const piece = continues ? line.slice(0, -1) : line;
    target.pieces.push([target.text.length, offset]);
    target.text += piece;
    offset += raw.length + 1;
    if (continues) {
      current = target;
      continue;
    }
    out.push(target);
    current = null;
  }
  if (current) out.push(current);
  return out;
}

/** File offset of a logical offset; an end offset stays on the piece it closes. */
function fileOffset(line: LogicalLine, at: number, isEnd = false): number {
  let best = line.pieces[0] as [number, number];
  for (const piece of line.pieces) if (piece[0] < at || (!isEnd && piece[0] === at)) best = piece;
  return best[1] + (at - best[0]);
}

function extractRequirements(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const index = new LineIndex(input.text);
  const dev = isDevRequirementsPath(input.path);
  for (const line of logicalLines(input.text)) {
    const locate = (at: number): Location => index.location(input.path, fileOffset(line, at));
    const span = (start: number, end: number): TextSpan | null =>
      index.span(input.path, fileOffset(line, start), fileOffset(line, end, true));
    const parsed = parsePipLine(line.text);
    if (parsed.type === 'none') continue;
    if (parsed.type === 'error') {
      out.problems.push({ ...locate(parsed.offset), message: parsed.message });
      continue;
    }
    const { req } = parsed;
    const via = req.kind === 'specifier' ? 'requirement' : req.kind;
    out.references.push(requirementReference(req, { extractor: ID, via, dev, locate, span }));
    if (req.problem)
      out.problems.push({
        ...locate(req.problem.offset),
        message: `${req.name}: ${req.problem.message}`,
      });
  }
  return out;
}
