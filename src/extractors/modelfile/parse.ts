/**
 * A Modelfile reader that follows ollama's own state machine (parser/parser.go): an instruction
 * name, blanks, then a value that runs to the end of the line, or across lines while a `"` or
 * `"""` string is open. Reading values this way keeps TEMPLATE/SYSTEM bodies from being mistaken
 * for instructions.
 */

export interface ModelfileCommand {
  /** Lower-cased instruction: `from`, `adapter`, `template`… (PARAMETER/MESSAGE keep their own). */
  name: string;
  /** The value without its quotes. */
  value: string;
  /** Offset in the file of the value's first character (after any opening quote). */
  offset: number;
  quoted: boolean;
}

export interface ModelfileParse {
  commands: ModelfileCommand[];
  problems: { offset: number; message: string }[];
}

const COMMANDS = new Set([
  'from',
  'license',
  'template',
  'system',
  'adapter',
  'draft',
  'renderer',
  'parser',
  'parameter',
  'message',
  'requires',
]);

export function parseModelfile(text: string): ModelfileParse {
  const out: ModelfileParse = { commands: [], problems: [] };
  let pos = 0;
  while (pos < text.length) {
    pos = skipBlank(text, pos);
    if (pos >= text.length) break;
    if (text[pos] === '#') {
      pos = lineEnd(text, pos);
      continue;
    }
    const nameStart = pos;
    while (pos < text.length && /[A-Za-z]/.test(text[pos] as string)) pos++;
    const name = text.slice(nameStart, pos).toLowerCase();
    if (!name || !COMMANDS.has(name) || !isSpace(text[pos])) {
      out.problems.push({ offset: nameStart, message: instructionProblem(text, nameStart, name) });
      pos = lineEnd(text, nameStart);
      continue;
    }
    // PARAMETER and MESSAGE carry a second word (the parameter name, the role) before the value.
    if (name === 'parameter' || name === 'message') pos = skipWord(text, skipSpaces(text, pos));
    const value = readValue(text, skipSpaces(text, pos));
    if (!value) {
      out.problems.push({
        offset: nameStart,
        message: `unterminated string in ${name.toUpperCase()}`,
      });
      break;
    }
    out.commands.push({ name, value: value.value, offset: value.offset, quoted: value.quoted });
    pos = value.end;
  }
  return out;
}

/**
 * Reads a value starting at `start`: at every line end, the text so far (trimmed) is accepted if
 * it is unquoted or its quotes are closed, as ollama's `unquote` decides. Null when a string is
 * still open at the end of the file.
 */
function readValue(
  text: string,
  start: number,
): { value: string; offset: number; end: number; quoted: boolean } | null {
  let end = lineEnd(text, start);
  for (;;) {
    const raw = text.slice(start, end);
    const unquoted = unquote(raw.trim());
    if (unquoted) {
      const lead = raw.length - raw.trimStart().length;
      return {
        value: unquoted.value,
        offset: start + lead + unquoted.quoteLength,
        end,
        quoted: unquoted.quoteLength > 0,
      };
    }
    if (end >= text.length) return null;
    end = lineEnd(text, end + 1);
  }
}

function instructionProblem(text: string, start: number, name: string): string {
  if (COMMANDS.has(name)) return `${name.toUpperCase()} has no value`;
  const word = text.slice(start, lineEnd(text, start)).trim().split(/\s+/)[0] ?? '';
  return `invalid Modelfile instruction "${word}"`;
}

function unquote(s: string): { value: string; quoteLength: number } | null {
  if (s.startsWith('"""')) {
    return s.length >= 6 && s.endsWith('"""') ? { value: s.slice(3, -3), quoteLength: 3 } : null;
  }
  if (s.startsWith('"'))
    return s.length >= 2 && s.endsWith('"') ? { value: s.slice(1, -1), quoteLength: 1 } : null;
  return { value: s, quoteLength: 0 };
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

function skipSpaces(text: string, pos: number): number {
  while (isSpace(text[pos])) pos++;
  return pos;
}

function skipBlank(text: string, pos: number): number {
  while (pos < text.length && /[ \t\r\n]/.test(text[pos] as string)) pos++;
  return pos;
}

function skipWord(text: string, pos: number): number {
  while (pos < text.length && !/[ \t\r\n]/.test(text[pos] as string)) pos++;
  return pos;
}

/** Offset of the next `\r` or `\n` at or after `pos` (ollama treats both as line ends). */
function lineEnd(text: string, pos: number): number {
  for (let i = pos; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r') return i;
  }
  return text.length;
}
