import type { Upstreams } from '../checks/types.js';
import type { Extracted } from '../scan.js';
import { huggingface } from './huggingface/index.js';
import { npm } from './npm/index.js';
import { osv } from './osv/index.js';
import { pypi } from './pypi/index.js';
import type { OnlineOptions, Registry, RegistryContext } from './types.js';

export type { OnlineOptions } from './types.js';

/** Every upstream the engine asks. Adding one is a folder and a line here. */
export const REGISTRIES: readonly Registry[] = [huggingface, pypi, npm, osv];

/**
 * Endpoints follow the tools' own conventions: a flag or input first, then the environment
 * (`HF_ENDPOINT`, `HF_TOKEN` as huggingface_hub reads them), then the public default.
 */
export function onlineOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  explicit: {
    hfEndpoint?: string;
    hfToken?: string;
    pypiEndpoint?: string;
    npmEndpoint?: string;
    osvEndpoint?: string;
  },
): OnlineOptions {
  const options: OnlineOptions = {
    hfEndpoint: explicit.hfEndpoint || env.HF_ENDPOINT || 'https://huggingface.co',
    pypiEndpoint: explicit.pypiEndpoint || 'https://pypi.org',
    npmEndpoint: explicit.npmEndpoint || 'https://registry.npmjs.org',
    osvEndpoint: explicit.osvEndpoint || 'https://api.osv.dev',
  };
  const token = explicit.hfToken || env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN;
  if (token) options.hfToken = token;
  return options;
}

/** The online stage of a scan: every registry runs concurrently; each fills its own field. */
export function createEnricher(
  options: OnlineOptions,
  hooks: { warn: (message: string) => void },
  registries: readonly Registry[] = REGISTRIES,
): (extracted: Extracted) => Promise<Upstreams> {
  const ctx: RegistryContext = { options, warn: hooks.warn };
  return async (extracted) => {
    const parts = await Promise.all(registries.map((r) => r.enrich(extracted, ctx)));
    return Object.assign({}, ...parts) as Upstreams;
  };
}
