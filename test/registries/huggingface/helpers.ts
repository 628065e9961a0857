import { huggingface } from '../../../src/registries/huggingface/index.js';
import type { HubUpstream, HubUpstreams } from '../../../src/registries/huggingface/types.js';
import type { OnlineOptions } from '../../../src/registries/types.js';
import type { Extracted } from '../../../src/scan.js';
import type { Reference, WeightsFile } from '../../../src/types.js';
import { isCommitSha } from '../../../src/util/hub-id.js';

export function extracted(references: Reference[], weights: WeightsFile[] = []): Extracted {
  return { references, weights, facts: [], problems: [], skipped: [], paths: new Set() };
}

export function hubRef(
  id: string,
  revision: string | null = null,
  extra: Partial<Reference> = {},
): Reference {
  return {
    kind: 'model',
    ecosystem: 'huggingface',
    id,
    revision,
    pinned: isCommitSha(revision),
    file: 'train.py',
    line: 1,
    column: 1,
    extractor: 'python-source',
    via: 'from_pretrained',
    ...extra,
  };
}

export interface Enriched {
  hub: HubUpstreams | undefined;
  /** `METHOD /path?query` of every request the registry sent, in order. */
  sent: string[];
  warnings: string[];
  up(kind: 'model' | 'dataset', id: string, revision?: string | null): HubUpstream;
}

export async function enrich(
  endpoint: string,
  ex: Extracted,
  options: Partial<OnlineOptions> = {},
): Promise<Enriched> {
  const sent: string[] = [];
  const warnings: string[] = [];
  const part = await huggingface.enrich(ex, {
    options: {
      hfEndpoint: endpoint,
      pypiEndpoint: 'http://127.0.0.1:1',
      npmEndpoint: 'http://127.0.0.1:1',
      osvEndpoint: 'http://127.0.0.1:1',
      retries: 1,
      ...options,
      onRequest: (registry, method, url) => {
        sent.push(`${method} ${url.slice(endpoint.length)}`);
        options.onRequest?.(registry, method, url);
      },
    },
    warn: (m) => warnings.push(m),
  });
  const hub = part.huggingface;
  return {
    hub,
    sent,
    warnings,
    up(kind, id, revision = null) {
      const found = hub?.upstreams[`${kind}:${id}@${revision ?? ''}`];
      if (!found) throw new Error(`no upstream ${kind}:${id}@${revision ?? ''}`);
      return found;
    },
  };
}

export const INFO = '?blobs=true&securityStatus=true';
