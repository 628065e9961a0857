import type { Ecosystem, ReferenceKind } from '../types.js';

/** Public page of an upstream, for reports. Ids are path-encoded segment by segment. */
export function upstreamUrl(
  ecosystem: Ecosystem | undefined,
  kind: ReferenceKind | undefined,
  id: string,
  hubBase = 'https://huggingface.co',
): string | null {
  const path = id.split('/').map(encodeURIComponent).join('/');
  switch (ecosystem) {
    case 'huggingface':
      return `${hubBase.replace(/\/+$/, '')}/${kind === 'dataset' ? 'datasets/' : ''}${path}`;
    case 'pypi':
      return `https://pypi.org/project/${path}/`;
    case 'npm':
      return `https://www.npmjs.com/package/${path}`;
    case 'ollama':
      return `https://ollama.com/library/${path}`;
    case 'conda':
      return `https://anaconda.org/conda-forge/${path}`;
    default:
      return null;
  }
}
