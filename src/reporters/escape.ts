/**
 * Everything that reaches a report may come from a file in a pull request or from an upstream
 * card: it is rendered as text, never as markup. These helpers make that so per output.
 */

const MD_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '@': '&#64;', // no @mentions (a ping to a user or team from a PR's file content)
  '`': '&#96;',
  '|': '&#124;', // table cells
  '#': '&#35;', // no auto-linked issue references
  '[': '&#91;',
  ']': '&#93;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '\\': '&#92;',
  '!': '&#33;',
  ':': '&#58;', // no :emoji: and no `javascript:` autolinks
};

/** Inline markdown text: one line, no markup, no mentions, no HTML. */
export function md(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[&<>"@`|#[\]*_~\\!:]/g, (c) => MD_ENTITIES[c] as string);
}

/**
 * Text inside a code span. GitHub renders entities literally inside backticks, so instead the
 * span is fenced with more backticks than it contains and padded, per CommonMark. In a table
 * cell a pipe would still end the cell, so `inTable` escapes it (GFM unescapes `\|` there).
 */
export function code(text: string, options: { inTable?: boolean } = {}): string {
  let clean = text.replace(/[\r\n]+/g, ' ');
  if (options.inTable) clean = clean.replace(/\|/g, '\\|');
  const runs = clean.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean === '' ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A URL we built ourselves, with an untrusted path part encoded. */
export function urlPart(text: string): string {
  return text.split('/').map(encodeURIComponent).join('/');
}

/**
 * A line for the runner's log. The runner treats a line starting with `::` as a workflow
 * command (set-output, add-mask, stop-commands); a file name or upstream text must never do that.
 */
export function logSafe(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/::/g, ':\u200b:');
}

/**
 * A link target for markdown: http(s) only (no `javascript:`), and without the characters that
 * would end the link early or start HTML. Null when the URL is not one to show.
 */
export function safeUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.href.replace(
    /[()<>\s"'`|[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
