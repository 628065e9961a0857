import { parseJson } from '../../util/json.js';
import type { Assignment, Emitter } from './emit.js';
import { isServerImage, scanCommand, scanEnv, scanShell, type Scope } from './commands.js';
import { shellCommands, splitAssignment, type Word } from './shell.js';

interface Instruction {
  name: string;
  /** Offset of the arguments: after the instruction word, through continuation lines. */
  start: number;
  /** The argument text, comment lines inside a continuation blanked (offsets are kept). */
  source: string;
}

type CommandForm = { exec: true; words: Word[] } | { exec: false; ins: Instruction };

interface Stage {
  server: boolean;
  entrypoint: CommandForm | null;
  cmd: CommandForm | null;
}

/**
 * Dockerfiles: ENV/ARG blocks (TGI's MODEL_ID…), RUN lines (`huggingface-cli download …`), and
 * the ENTRYPOINT + CMD of each stage read as one command line, the way the container runs it.
 */
export function scanDockerfile(emitter: Emitter): void {
  const instructions = readInstructions(emitter.text);
  const variables: Assignment[] = [];
  const stages: Stage[] = [];
  const runs: { ins: Instruction; server: boolean }[] = [];
  for (const ins of instructions) {
    const stage = stages[stages.length - 1];
    if (ins.name === 'ENV' || ins.name === 'ARG') variables.push(...assignments(ins));
    else if (ins.name === 'FROM')
      stages.push({ server: isServerImage(fromImage(ins)), entrypoint: null, cmd: null });
    else if (ins.name === 'RUN') runs.push({ ins, server: stage?.server ?? false });
    else if (stage && ins.name === 'ENTRYPOINT') stage.entrypoint = commandForm(ins);
    else if (stage && ins.name === 'CMD') stage.cmd = commandForm(ins);
  }
  const scope: Scope = {
    emitter,
    variables,
    server: stages.some((s) => s.server),
    container: false,
  };
  // Env first, so a reference reached both ways keeps the env name as its `via`.
  scanEnv(variables, scope);
  for (const { ins, server } of runs) run(ins, { ...scope, server });
  for (const stage of stages)
    containerCommand(stage, { ...scope, server: stage.server, container: true });
}

/** Logical instructions: `\` joins lines, comment lines inside a continuation are dropped. */
function readInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pos = 0;
  while (pos < text.length) {
    const eol = lineEnd(text, pos);
    const line = text.slice(pos, eol);
    const m = /^[ \t]*([A-Za-z]+)(?:[ \t]+|\r?$)/.exec(line);
    if (!m || line.trimStart().startsWith('#')) {
      pos = eol + 1;
      continue;
    }
    const start = pos + m[0].length;
    const blanks: [number, number][] = [];
    let end = eol;
    while (/\\\r?$/.test(text.slice(pos, end)) && end < text.length) {
      pos = end + 1;
      end = lineEnd(text, pos);
      while (end < text.length && /^[ \t]*(?:#|\r?$)/.test(text.slice(pos, end))) {
        blanks.push([pos, end + 1]);
        pos = end + 1;
        end = lineEnd(text, pos);
      }
    }
    end = heredocEnd(text, start, end);
    out.push({
      name: (m[1] as string).toUpperCase(),
      start,
      source: blank(text, start, end, blanks),
    });
    pos = end + 1;
  }
  return out;
}

function blank(text: string, start: number, end: number, ranges: [number, number][]): string {
  let source = text.slice(start, end);
  for (const [a, b] of ranges)
    source = source.slice(0, a - start) + ' '.repeat(b - a) + source.slice(b - start);
  return source;
}

/** `RUN <<EOF … EOF`: the body belongs to the instruction. */
function heredocEnd(text: string, start: number, end: number): number {
  const m = /<<-?[ \t]*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/.exec(text.slice(start, end));
  if (!m) return end;
  const marker = m[1] as string;
  let pos = end + 1;
  while (pos < text.length) {
    const eol = lineEnd(text, pos);
    if (text.slice(pos, eol).replace(/\r$/, '').trim() === marker) return eol;
    pos = eol + 1;
  }
  return text.length;
}

function lineEnd(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i === -1 ? text.length : i;
}

function wordsOf(ins: Instruction): Word[][] {
  return shellCommands(ins.source, (k) => ins.start + k);
}

function fromImage(ins: Instruction): string {
  const words = wordsOf(ins).flat();
  return words.find((w) => !w.text.startsWith('--'))?.text ?? '';
}

/** `ENV A=1 B="two"` or the legacy `ENV A 1`. */
function assignments(ins: Instruction): Assignment[] {
  const words = wordsOf(ins).flat();
  const first = words[0];
  if (!first) return [];
  if (first.text.includes('=')) return words.flatMap((w) => splitAssignment(w) ?? []);
  const value = words[1];
  return value && words.length === 2 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(first.text)
    ? [{ name: first.text, value }]
    : [];
}

function run(ins: Instruction, scope: Scope): void {
  const form = commandForm(ins);
  if (form.exec) scanCommand(form.words, scope);
  else scanShell(ins.source, (k) => ins.start + k, scope);
}

/** Exec form (a JSON array) or shell form. */
function commandForm(ins: Instruction): CommandForm {
  if (ins.source.trimStart().startsWith('[')) {
    const words = execForm(ins.source, ins.start);
    if (words) return { exec: true, words };
  }
  return { exec: false, ins };
}

/** `["python3", "-m", "vllm…"]`, possibly split over `\` continuation lines. */
function execForm(raw: string, base: number): Word[] | null {
  // A `\` before a line break continues the instruction; as a blank it keeps offsets intact.
  const doc = parseJson(raw.replace(/\\(?=\r?\n)/g, ' '));
  if (doc.error || doc.root?.type !== 'array') return null;
  return (doc.root.children ?? []).flatMap((node) => {
    if (node.type !== 'string') return [];
    const value = node.value as string;
    const inner = raw.slice(node.offset + 1, node.offset + node.length - 1);
    // Escapes make the source longer than the value; then every character maps to the start.
    const at = Array.from(
      value,
      (_, i) => base + node.offset + 1 + (inner.length === value.length ? i : 0),
    );
    return [{ text: value, at }];
  });
}

function containerCommand(stage: Stage, scope: Scope): void {
  const { entrypoint, cmd } = stage;
  if (entrypoint?.exec) {
    scanCommand([...entrypoint.words, ...(cmd?.exec ? cmd.words : [])], scope);
    return;
  }
  const form = entrypoint ?? cmd;
  if (!form) return;
  if (form.exec) scanCommand(form.words, scope);
  else scanShell(form.ins.source, (k) => form.ins.start + k, scope);
}
