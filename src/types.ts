/**
 * The engine's vocabulary. Extractors turn file text into References and Facts; registries turn
 * References into upstream facts; checks turn both into Findings; reporters render Findings.
 * Nothing here knows about disks, the network or GitHub.
 */

export type ReferenceKind = 'model' | 'dataset' | 'package';

export type Ecosystem = 'huggingface' | 'pypi' | 'npm' | 'ollama' | 'conda' | 'url';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** A place in a repository file. `line` and `column` are 1-based; `file` uses `/` separators. */
export interface Location {
  file: string;
  line: number;
  column: number;
}

/** A span of text in a file that a fix may replace (1-based, `endColumn` exclusive, one line). */
export interface TextSpan extends Location {
  endColumn: number;
  text: string;
}

/** One upstream named by a repository file. */
export interface Reference extends Location {
  kind: ReferenceKind;
  ecosystem: Ecosystem;
  /** Canonical id: `org/name` or a bare legacy id (`gpt2`) on the Hub, a normalized package name. */
  id: string;
  /** The requested revision (Hub), tag (Ollama) or version spec / locked version (packages). */
  revision: string | null;
  /** Hub: an immutable commit sha (>= 7 hex). Packages: an exact `==`/lock version or a hash. */
  pinned: boolean;
  /** Which extractor found it (equals the extractor's folder name). */
  extractor: string;
  /** What in the file named it: `from_pretrained`, `base_model`, `--model`, `dependencies`… */
  via: string;
  /** Where the revision text sits, when the file carries one: the anchor for a pin fix. */
  revisionSpan?: TextSpan;
  /** Packages: the exact version when one is known (an `==` pin or a lockfile entry). */
  version?: string;
  /** Packages: true when the entry comes from a lockfile. */
  locked?: boolean;
  /** Packages: a development-only dependency (dev group, devDependencies, extras for tests). */
  dev?: boolean;
  /** Packages: PEP 508 environment marker, kept for reports. */
  marker?: string;
  /** Models: the call or config asks to run code from the repository (`trust_remote_code=True`). */
  trustRemoteCode?: boolean;
  /** A file inside the upstream repo the reference asks for (`hf_hub_download(filename=…)`). */
  filename?: string;
}

export type WeightsFormat = 'safetensors' | 'pickle' | 'gguf' | 'onnx' | 'keras' | 'other';

/** A weights file declared by a manifest, an LFS pointer, a DVC out or a download call. */
export interface WeightsFile extends Location {
  /** The file's name or path as declared (a shard name, a DVC out path, the pointer's own path). */
  name: string;
  format: WeightsFormat;
  /** `file`: the weights file itself is committed to the repository (not a pointer). */
  origin: 'weights-index' | 'lfs-pointer' | 'dvc' | 'source' | 'modelfile' | 'file';
  sha256?: string;
  md5?: string;
  size?: number;
  /** The Hub repo this file is fetched from, when the file says so. */
  upstream?: { id: string; revision: string | null; kind: 'model' | 'dataset' };
  /** For shard indexes: the index file that lists this shard. */
  index?: string;
}

/** Facts extractors observe that are not upstream references but matter to checks. */
export type Fact =
  | (Location & {
      type: 'remote-code';
      via: 'trust_remote_code' | 'auto_map';
      detail: string;
      span?: TextSpan;
    })
  | (Location & {
      type: 'license';
      license: string;
      licenseName?: string;
      licenseLink?: string;
    })
  | (Location & { type: 'transformers-version'; version: string })
  | (Location & { type: 'unsafe-load'; call: string; detail: string; span?: TextSpan });

export interface ParseProblem extends Location {
  message: string;
}

/** What one extractor found in one file. */
export interface Extraction {
  references: Reference[];
  weights: WeightsFile[];
  facts: Fact[];
  problems: ParseProblem[];
}

export interface ExtractInput {
  /** Repository-relative path with `/` separators. */
  path: string;
  /** Decoded text (UTF-8, BOM removed, line endings untouched). */
  text: string;
}

/** One file kind. Pure: text in, Extraction out, no I/O and no throwing on bad input. */
export interface Extractor {
  /** Equals the extractor's folder name under src/extractors/. */
  id: string;
  /** Human description of the file kinds, for the README and `--help`. */
  description: string;
  /** Cheap decision on the path alone; `extract` may still find nothing. */
  match(path: string): boolean;
  /** Files larger than this are not for this extractor (an LFS pointer is tiny; weights are not). */
  maxBytes?: number;
  extract(input: ExtractInput): Extraction;
}

/** Named so users can configure and ignore them; part of the public interface. */
export type RuleId =
  | 'unpinned-revision'
  | 'unsafe-weights-format'
  | 'remote-code'
  | 'dependency-unpinned'
  | 'parse-error'
  | 'file-skipped'
  | 'revision-drift'
  | 'upstream-not-found'
  | 'revision-not-found'
  | 'upstream-disabled'
  | 'upstream-gated'
  | 'upstream-renamed'
  | 'upstream-unverified'
  | 'namespace-reuse-suspect'
  | 'license-changed'
  | 'upstream-security-scan'
  | 'weights-hash-mismatch'
  | 'shard-index-inconsistent'
  | 'dependency-vulnerable'
  | 'dependency-drift'
  | 'dependency-yanked'
  | 'dependency-deprecated'
  | 'version-skew'
  | 'unsafe-load-combination'
  | 'license-policy'
  | 'license-lineage'
  | 'untrusted-publisher'
  | 'typosquat-suspect'
  | 'exception-expired';

/** A mechanical fix: replace `span` with `replacement` (becomes a ```suggestion in reviews). */
export interface Fix {
  description: string;
  span: TextSpan;
  replacement: string;
}

export interface Finding extends Location {
  rule: RuleId;
  severity: Severity;
  /** One sentence: what is wrong. Plain text, rendered escaped by every reporter. */
  message: string;
  /** How to fix it, when there is something to say. */
  remediation?: string;
  /** The upstream this finding is about, if any. */
  id?: string;
  ecosystem?: Ecosystem;
  kind?: ReferenceKind;
  fix?: Fix;
  /** Links for reports (upstream commit, compare page, advisory). */
  links?: { title: string; url: string }[];
  /** Rule-specific structured data for JSON/SARIF consumers. */
  details?: Record<string, unknown>;
  /**
   * A policy exception covers it: still reported (folded), but not counted and never failing
   * the run. `expires` is the exception's last day.
   */
  suppressed?: { reason: string; expires?: string };
}

/** A file the walker did not read, and why (reported, never silently dropped). */
export interface SkippedFile {
  file: string;
  reason: 'too-large' | 'binary' | 'unreadable' | 'outside-root';
  size?: number;
}
