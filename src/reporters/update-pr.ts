import type { Ecosystem, Finding, ReferenceKind, Severity } from '../types.js';
import { upstreamUrl } from '../util/links.js';
import { TOOL_NAME, TOOL_URL, TOOL_VERSION } from '../version.js';
import { code, md, safeUrl } from './escape.js';
import { SEVERITY_ICON } from './markdown.js';

/** One pin to rewrite: the span the scan found, in a repository-relative file. */
export interface UpdateEdit {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  from: string;
  to: string;
}

/** One update pull request: one upstream, every place its pin appears. */
export interface UpdatePlan {
  /** `upstreamKey` (reporters/dashboard.ts). */
  key: string;
  ecosystem: Ecosystem;
  kind: ReferenceKind;
  id: string;
  branch: string;
  /** The commit sha (Hub) or version (packages) the pins move to. */
  target: string;
  severity: Severity;
  edits: UpdateEdit[];
  /** The `revision-drift` finding of the oldest pin (Hub): distance and newest upstream commits. */
  drift: Finding | null;
  licence: { from: string; to: string } | null;
  /** The licence at the pin when it stays the same; null when unknown. */
  currentLicence: string | null;
  /** Advisories the new version fixes (packages). */
  advisories: { id: string; url: string | null }[];
  /** Other active findings about this upstream, for the reviewer to weigh. */
  related: Finding[];
}

export interface UpdateBodyContext {
  applied: UpdateEdit[];
  /** Pins left alone, and why (the file changed since the scan, a workflow file…). */
  skipped: { edit: UpdateEdit; reason: string }[];
  baseBranch: string;
  /** `https://github.com/o/r/blob/<base branch>` for file links. */
  blobUrl?: string;
}

const MARKER_PREFIX = '<!-- llm-supply-chain-guard:update ';
const MAX_FILE_ROWS = 100;
const MAX_RELATED = 20;

/**
 * The hidden line that ties a pull request to its upstream and target. Values are URI-encoded so
 * no id can end the comment early. `closed` records that the Action closed it (not a person), so
 * the same target may be offered again later; a pull request a person closed is not reopened.
 */
export function updateMarker(key: string, target: string, closedByAction = false): string {
  const closed = closedByAction ? ' closed=action' : '';
  return `${MARKER_PREFIX}key=${encodeURIComponent(key)} target=${encodeURIComponent(target)}${closed} -->`;
}

export function parseUpdateMarker(
  body: string | null | undefined,
): { key: string; target: string; closedByAction: boolean } | null {
  const m = /<!-- llm-supply-chain-guard:update key=(\S+) target=(\S+)( closed=action)? -->/.exec(
    body ?? '',
  );
  if (!m) return null;
  try {
    return {
      key: decodeURIComponent(m[1] as string),
      target: decodeURIComponent(m[2] as string),
      closedByAction: !!m[3],
    };
  } catch {
    return null;
  }
}

/** Marks a body as closed by the Action, keeping everything else. */
export function markClosedByAction(body: string, key: string, target: string): string {
  const marker = updateMarker(key, target);
  return body.includes(marker) ? body.replace(marker, updateMarker(key, target, true)) : body;
}

function shortTarget(plan: Pick<UpdatePlan, 'ecosystem' | 'target'>): string {
  return plan.ecosystem === 'huggingface' ? plan.target.slice(0, 7) : plan.target;
}

export function updateTitle(
  plan: Pick<UpdatePlan, 'ecosystem' | 'kind' | 'id' | 'target'>,
): string {
  const what = plan.kind === 'package' ? plan.id : `${plan.kind} ${plan.id}`;
  return `Update ${what} to ${shortTarget(plan)}`;
}

/** A trailer line that tells the Action's own commits from anyone else's on the branch. */
export const COMMIT_TRAILER = 'Llm-Supply-Chain-Guard-Update';

export function updateCommitMessage(plan: UpdatePlan, applied: UpdateEdit[]): string {
  const files = [...new Set(applied.map((e) => e.file))].sort();
  return [
    updateTitle(plan),
    '',
    ...files.map((f) => `- ${f}`),
    '',
    `${COMMIT_TRAILER}: ${plan.key}`,
    '',
  ].join('\n');
}

/** The files a commit of ours says it edits (from the message above). */
export function filesOfCommitMessage(message: string): string[] | null {
  if (!message.includes(`${COMMIT_TRAILER}:`)) return null;
  return message
    .split('\n')
    .filter((l) => l.startsWith('- '))
    .map((l) => l.slice(2))
    .sort();
}

/**
 * The pull request body: what moves where, the upstream commits in between (titles, dates,
 * links), licence changes and the other findings about the upstream, so a reviewer can judge the
 * bump without leaving the page. Deterministic for one plan, so an unchanged plan is not edited.
 */
export function renderUpdatePr(plan: UpdatePlan, ctx: UpdateBodyContext): string {
  const parts: string[] = [updateMarker(plan.key, plan.target)];
  parts.push(`### ⬆️ ${md(updateTitle(plan))}`, '', intro(plan, ctx), '');
  parts.push(...filesSection(ctx));
  if (plan.drift) parts.push(...commitsSection(plan.drift));
  parts.push(...licenceSection(plan));
  if (plan.advisories.length > 0) {
    parts.push('#### Advisories this fixes', '');
    for (const a of plan.advisories) {
      const url = a.url ? safeUrl(a.url) : null;
      parts.push(`- ${url ? `[${md(a.id)}](${url})` : md(a.id)}`);
    }
    parts.push('');
  }
  parts.push(...relatedSection(plan.related));
  parts.push(
    `<sub>Opened by [${md(TOOL_NAME)}](${TOOL_URL}) ${md(TOOL_VERSION)}. Each drift run refreshes this pull request while the pin is behind and closes it once the pin is current; commits pushed here by someone else are never overwritten.</sub>`,
    '',
  );
  return parts.join('\n');
}

function intro(plan: UpdatePlan, ctx: UpdateBodyContext): string {
  const url = upstreamUrl(plan.ecosystem, plan.kind, plan.id);
  const name = url ? `[${md(plan.id)}](${url})` : md(plan.id);
  const from = [...new Set(ctx.applied.map((e) => e.from))].map((f) => code(f)).join(', ');
  const files = new Set(ctx.applied.map((e) => e.file)).size;
  const where = `${files} ${files === 1 ? 'file' : 'files'} on ${code(ctx.baseBranch)}`;
  if (plan.kind === 'package')
    return `Moves ${md(plan.ecosystem)} package ${name} from ${from} to ${code(ctx.applied[0]?.to ?? plan.target)} in ${where}.`;
  const d = plan.drift?.details ?? {};
  const behind =
    typeof d.behind === 'number' ? `${d.behind} ${d.behind === 1 ? 'commit' : 'commits'}` : null;
  const days =
    typeof d.daysBehind === 'number'
      ? `${d.daysBehind} ${d.daysBehind === 1 ? 'day' : 'days'}`
      : null;
  const distance = [behind, days].filter(Boolean).join(', ');
  return `Moves the pin of ${plan.kind} ${name} from ${from} to the head of its main branch, ${code(plan.target)}${distance ? ` (${distance} newer)` : ''}, in ${where}.`;
}

function filesSection(ctx: UpdateBodyContext): string[] {
  const out = ['#### Files', '', '| File | From | To |', '| --- | --- | --- |'];
  const rows = ctx.applied.map((e) => {
    const label = md(`${e.file}:${e.line}`);
    const path = e.file.split('/').map(encodeURIComponent).join('/');
    const where = ctx.blobUrl ? `[${label}](${ctx.blobUrl}/${path}#L${e.line})` : label;
    return `| ${where} | ${code(e.from, { inTable: true })} | ${code(e.to, { inTable: true })} |`;
  });
  out.push(...rows.slice(0, MAX_FILE_ROWS));
  if (rows.length > MAX_FILE_ROWS) out.push(`| and ${rows.length - MAX_FILE_ROWS} more | | |`);
  out.push('');
  if (ctx.skipped.length > 0) {
    out.push('Left alone (move these by hand):', '');
    for (const s of ctx.skipped.slice(0, MAX_FILE_ROWS))
      out.push(`- ${md(`${s.edit.file}:${s.edit.line}`)}: ${md(s.reason)}`);
    out.push('');
  }
  return out;
}

interface NewCommit {
  sha: string;
  title: string;
  date: string;
  authors: string[];
}

function newestOf(details: Record<string, unknown>): NewCommit[] {
  const list = Array.isArray(details.newest) ? details.newest : [];
  return list.filter(
    (c): c is NewCommit =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as NewCommit).sha === 'string' &&
      typeof (c as NewCommit).title === 'string',
  );
}

function commitsSection(drift: Finding): string[] {
  const details = drift.details ?? {};
  const newest = newestOf(details);
  const history = drift.links?.find((l) => /history/i.test(l.title))?.url ?? null;
  const compare = drift.links?.find((l) => /diff/i.test(l.title))?.url ?? null;
  const out = ['#### Upstream commits since the pin', ''];
  if (newest.length === 0) {
    out.push('The Hub did not list the commits in between.', '');
  } else {
    out.push('| Date | Commit | Title | Authors |', '| --- | --- | --- | --- |');
    for (const c of newest) {
      const link = history
        ? safeUrl(history.replace(/\/commits\/[^/]+$/, `/commit/${c.sha}`))
        : null;
      const short = code(c.sha.slice(0, 7), { inTable: true });
      const authors = (Array.isArray(c.authors) ? c.authors : []).filter(
        (a) => typeof a === 'string',
      );
      out.push(
        `| ${md((typeof c.date === 'string' ? c.date : '').slice(0, 10))} | ${link ? `[${short}](${link})` : short} | ${md(c.title)} | ${authors.map((a) => md(a)).join(', ')} |`,
      );
    }
    const behind = typeof details.behind === 'number' ? details.behind : null;
    if (behind !== null && behind > newest.length)
      out.push(
        '',
        `_…and ${behind - newest.length} older ${behind - newest.length === 1 ? 'commit' : 'commits'}._`,
      );
    out.push('');
  }
  const links = [
    ...(history && safeUrl(history) ? [`[Full history](${safeUrl(history)})`] : []),
    ...(compare && safeUrl(compare) ? [`[Diff from the pin](${safeUrl(compare)})`] : []),
  ];
  if (links.length > 0) out.push(links.join(' · '), '');
  return out;
}

function licenceSection(plan: UpdatePlan): string[] {
  if (plan.kind === 'package') return [];
  if (plan.licence)
    return [
      '#### Licence',
      '',
      `> [!WARNING]`,
      `> The licence changes: ${code(plan.licence.from)} at the pin, ${code(plan.licence.to)} at the new head. Review the new terms before merging.`,
      '',
    ];
  return [
    '#### Licence',
    '',
    plan.currentLicence
      ? `Unchanged: ${code(plan.currentLicence)}.`
      : 'Not known: the Hub gave no licence for this revision.',
    '',
  ];
}

function relatedSection(related: Finding[]): string[] {
  const out = ['#### Scan results for this upstream', ''];
  if (related.length === 0) return [...out, 'No other findings.', ''];
  for (const f of related.slice(0, MAX_RELATED))
    out.push(
      `- ${SEVERITY_ICON[f.severity]} ${f.severity} ${code(f.rule)} (${md(`${f.file}:${f.line}`)}): ${md(f.message)}`,
    );
  if (related.length > MAX_RELATED) out.push(`- and ${related.length - MAX_RELATED} more`);
  out.push('');
  return out;
}
