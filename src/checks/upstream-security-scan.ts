import type { HubScanFile, HubScanLevel } from '../registries/huggingface/types.js';
import type { Severity } from '../types.js';
import { hubFinding, hubPairs, noun } from './hub.js';
import type { Check } from './types.js';

const SEVERITY: Partial<Record<HubScanLevel, Severity>> = {
  unsafe: 'high',
  suspicious: 'medium',
  caution: 'low',
};
const RANK: Severity[] = ['high', 'medium', 'low'];
const PENDING: ReadonlySet<HubScanLevel> = new Set(['queued', 'error', 'unscanned']);

/**
 * The Hub's own scans (ClamAV, pickle import scan, Protect AI, JFrog…): `securityRepoStatus`
 * lists flagged files, per-file `securityFileStatus` says why. Unsafe is high, suspicious medium,
 * caution low; a flagged file absent from the pinned revision is low. Scans that have not
 * finished (`scansDone: false`, queued, error) are info: pending, not clean.
 */
export const upstreamSecurityScan: Check = {
  id: 'upstream-security-scan',
  run(ctx) {
    return hubPairs(ctx).flatMap(({ ref, up }) => {
      const security = up.security;
      if (!security || up.state !== 'ok') return [];
      const flagged = security.filesWithIssues.filter((f) => SEVERITY[f.level]);
      const links = [
        { title: 'Hub repository', url: repoUrl(ctx, up.kind, up.repo?.id ?? ref.id) },
      ];
      if (flagged.length > 0) {
        const present = new Set((up.at?.files ?? []).map((f) => f.path));
        const atPin = up.at?.files ? flagged.filter((f) => present.has(f.path)) : flagged;
        const worst = RANK.find((s) => atPin.some((f) => SEVERITY[f.level] === s)) ?? 'low';
        const where = atPin.length === 0 ? ' (none of them is in the referenced revision)' : '';
        return [
          hubFinding(
            ref,
            'upstream-security-scan',
            worst,
            `Hub security scans flag ${flagged.length} file${flagged.length === 1 ? '' : 's'} in ${ref.id}${where}: ${flagged.slice(0, 3).map(describe).join('; ')}${flagged.length > 3 ? `; and ${flagged.length - 3} more` : ''}.`,
            {
              remediation:
                'Do not load the flagged files; read the scan reports on the repository page, and prefer a revision and format (safetensors) without them.',
              details: { scansDone: security.scansDone, filesWithIssues: flagged },
              links,
            },
          ),
        ];
      }
      const pending = security.filesWithIssues.filter((f) => PENDING.has(f.level));
      if (security.scansDone && pending.length === 0) return [];
      return [
        hubFinding(
          ref,
          'upstream-security-scan',
          'info',
          `Hub security scans of ${noun(ref).toLowerCase()} ${ref.id} are pending (not finished${pending.length ? ` for ${pending.map((f) => f.path).join(', ')}` : ''}); nothing is flagged so far.`,
          { details: { scansDone: security.scansDone, pending }, links },
        ),
      ];
    });
  },
};

function describe(f: HubScanFile): string {
  const why = [
    ...(f.pickleImports?.length ? [`imports ${f.pickleImports.slice(0, 3).join(', ')}`] : []),
    ...(f.messages?.slice(0, 1) ?? []),
  ];
  return `${f.path} (${f.level}${why.length ? `: ${why.join('; ')}` : ''})`;
}

function repoUrl(ctx: Parameters<Check['run']>[0], kind: string, id: string): string {
  const base = (ctx.upstreams.huggingface?.endpoint ?? 'https://huggingface.co').replace(
    /\/+$/,
    '',
  );
  return `${base}/${kind === 'dataset' ? 'datasets/' : ''}${id}`;
}
