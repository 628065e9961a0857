import { parseHubId } from '../../util/hub-id.js';

/** A Hub repo named by a URL, with where its revision sits in the URL text. */
export interface HubUrl {
  id: string;
  kind: 'model' | 'dataset';
  revision: string | null;
  /** Offset of the revision inside the URL string, when the URL carries one. */
  revisionOffset?: number;
  /** The file inside the repo, when the URL names one. */
  filename?: string;
}

const HF_FS = /^hf:\/\/(?:(datasets|spaces|models)\/)?([^/@]+\/[^/@]+)(?:@([^/]+))?(?:\/(.*))?$/i;
const HF_HTTP =
  /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\/(?:(datasets|spaces|models)\/)?([^/?#]+\/[^/?#]+?)(?:\.git)?(?:\/(?:resolve|blob|tree|raw)\/([^/?#]+))?(?:\/([^?#]*))?(?:[?#].*)?$/i;

/**
 * Parses the URL forms DVC stores for Hub data: fsspec `hf://[datasets/]org/name[@rev]/path`
 * (huggingface_hub's HfFileSystem) and `https://huggingface.co/[datasets/]org/name[/resolve/rev/
 * path]` (import-url over HTTP, or a git URL for `dvc import`). Spaces are not models or datasets.
 */
export function parseHubUrl(raw: string): HubUrl | null {
  const fs = HF_FS.exec(raw);
  if (fs) return build(fs[1], fs[2] as string, fs[3], fs[4], raw);
  const http = HF_HTTP.exec(raw);
  if (http) return build(http[1], http[2] as string, http[3], http[4], raw);
  return null;
}

function build(
  type: string | undefined,
  repo: string,
  rev: string | undefined,
  file: string | undefined,
  raw: string,
): HubUrl | null {
  if (type?.toLowerCase() === 'spaces') return null;
  const hub = parseHubId(repo);
  if (!hub) return null;
  const url: HubUrl = {
    id: hub.id,
    kind: type?.toLowerCase() === 'datasets' ? 'dataset' : 'model',
    revision: rev ? safeDecode(rev) : null,
  };
  // The offset is only useful when the text is the revision itself (not percent-encoded).
  if (rev && url.revision === rev)
    url.revisionOffset = raw.indexOf(`${rev}`, raw.indexOf(repo) + repo.length);
  if (file) url.filename = file;
  return url;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
