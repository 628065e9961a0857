import {
  parseTree,
  findNodeAtLocation,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import type { LineIndex } from './text.js';

/**
 * JSON with positions: jsonc-parser keeps offsets for every node, which plain JSON.parse drops.
 * Lenient on purpose (comments and trailing commas are tolerated, as in real config files) but
 * reports the first syntax error so the file still yields a parse-error finding.
 */
export interface JsonDocument {
  root: Node | undefined;
  error: { message: string; offset: number } | null;
}

export function parseJson(text: string): JsonDocument {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  return {
    root,
    error: first
      ? { message: `invalid JSON: ${printParseErrorCode(first.error)}`, offset: first.offset }
      : null,
  };
}

export function jsonNode(root: Node | undefined, path: (string | number)[]): Node | undefined {
  return root ? findNodeAtLocation(root, path) : undefined;
}

export function jsonString(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}

/** Properties of an object node as [key, value node, key node] triples. */
export function jsonEntries(node: Node | undefined): [string, Node, Node][] {
  if (node?.type !== 'object' || !node.children) return [];
  const out: [string, Node, Node][] = [];
  for (const prop of node.children) {
    const [k, v] = prop.children ?? [];
    if (k && v && typeof k.value === 'string') out.push([k.value, v, k]);
  }
  return out;
}

/** Offset of a string node's content (after the opening quote) and its raw length in the file. */
export function stringContentRange(node: Node): { start: number; end: number } {
  return { start: node.offset + 1, end: node.offset + node.length - 1 };
}

export function positionOf(lines: LineIndex, node: Node): { line: number; column: number } {
  return lines.position(node.type === 'string' ? node.offset + 1 : node.offset);
}
