import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigurationError } from './errors.js';
import { EXTRACTORS } from './extractors/index.js';
import { LocalFileSource } from './files/local.js';
import { loadPolicyFromDisk } from './policy/load.js';
import { createEnricher, onlineOptionsFromEnv, type OnlineOptions } from './registries/index.js';
import { logSafe } from './reporters/escape.js';
import { renderJson } from './reporters/json.js';
import { renderMarkdown } from './reporters/markdown.js';
import { renderSarif } from './reporters/sarif.js';
import { highestSeverity } from './reporters/summary.js';
import { renderText } from './reporters/text.js';
import { atLeast, RULES } from './rules.js';
import { DEFAULT_MAX_FILE_BYTES, scan, type ScanResult } from './scan.js';
import { SEVERITIES, type Severity } from './types.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const FORMATS = ['text', 'markdown', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: ${TOOL_NAME} scan [DIR] [options]
       ${TOOL_NAME} serve      run the GitHub App server (see serve --help)

Finds every model, dataset, weights file and package a repository pulls in, and checks them.

Options:
  --format <text|markdown|json|sarif>  output format (default: text)
  --output <file>                      write the report to a file instead of stdout
  --fail-on <none|info|low|medium|high|critical>
                                       exit 1 when a finding reaches this severity (default: high)
  --offline                            no network: only the checks that need none
  --config <file>                      policy file (default: DIR/.github/llm-supply-chain.yml when present)
  --hf-endpoint <url>                  Hugging Face Hub endpoint (default: $HF_ENDPOINT or https://huggingface.co)
  --pypi-endpoint <url>                PyPI endpoint (default: https://pypi.org)
  --npm-endpoint <url>                 npm registry endpoint (default: https://registry.npmjs.org)
  --osv-endpoint <url>                 OSV endpoint (default: https://api.osv.dev)
  --max-file-size <bytes>              larger files are skipped and reported (default: ${DEFAULT_MAX_FILE_BYTES})
  --list-rules                         print every rule id and exit
  -h, --help                           show this help
  -v, --version                        print the version

Environment: HF_TOKEN (gated and private Hub repos), HF_ENDPOINT.
Exit codes: 0 no finding reaches --fail-on, 1 one does, 2 usage or configuration error.
`;

/** The CLI as a function of its arguments and I/O, so tests drive it without a process. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Loaded only for `serve`: the App's code and its dependencies stay out of every scan's start.
  if (argv[0] === 'serve') return (await import('./app/serve.js')).serve(argv.slice(1), io);
  let parsed;
  try {
    parsed = parse(argv, io.env);
  } catch (error) {
    io.stderr(`${TOOL_NAME}: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (parsed.version) {
    io.stdout(`${TOOL_VERSION}\n`);
    return 0;
  }
  if (parsed.listRules) {
    io.stdout(
      Object.values(RULES)
        .map((r) => `${r.id.padEnd(26)} ${r.severity.padEnd(8)} ${r.title}`)
        .join('\n') + '\n',
    );
    return 0;
  }
  const root = path.resolve(io.cwd, parsed.dir);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat?.isDirectory()) {
    io.stderr(`${TOOL_NAME}: not a directory: ${parsed.dir}\n`);
    return 2;
  }
  let result: ScanResult;
  try {
    const enrich = parsed.offline
      ? undefined
      : createEnricher(parsed.online, {
          // Upstream text on one line, no `::`: CI runners read workflow commands on stderr too.
          warn: (m: string) => io.stderr(`warning: ${logSafe(m)}\n`),
        });
    const policy = await loadPolicyFromDisk({ root, config: parsed.config, cwd: io.cwd });
    result = await scan(new LocalFileSource(root), {
      maxFileBytes: parsed.maxFileBytes,
      enrich,
      policy,
    });
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.stderr(`${TOOL_NAME}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const report = render(result, parsed.format, io.isTTY && !parsed.output);
  if (parsed.output) {
    await fs.writeFile(path.resolve(io.cwd, parsed.output), report);
    io.stderr(`${TOOL_NAME}: wrote ${parsed.format} report to ${parsed.output}\n`);
  } else {
    io.stdout(report);
  }
  const highest = highestSeverity(result.findings);
  return parsed.failOn !== 'none' && highest && atLeast(highest, parsed.failOn) ? 1 : 0;
}

function render(result: ScanResult, format: Format, color: boolean): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result);
    case 'markdown':
      return renderMarkdown(result);
    default:
      return renderText(result, { color });
  }
}

function parse(argv: string[], env: NodeJS.ProcessEnv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', default: 'text' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string', default: 'high' },
      offline: { type: 'boolean', default: false },
      config: { type: 'string' },
      'hf-endpoint': { type: 'string' },
      'pypi-endpoint': { type: 'string' },
      'npm-endpoint': { type: 'string' },
      'osv-endpoint': { type: 'string' },
      'max-file-size': { type: 'string' },
      'list-rules': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
  const [command, dir = '.', ...extra] = positionals;
  const meta = values.help || values.version || values['list-rules'];
  if (!meta && command !== 'scan')
    throw new Error(command ? `unknown command: ${command}` : 'missing command: scan');
  if (extra.length > 0) throw new Error(`unexpected argument: ${extra[0]}`);
  const format = values.format as Format;
  if (!FORMATS.includes(format))
    throw new Error(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);
  const failOn = values['fail-on'] as Severity | 'none';
  if (failOn !== 'none' && !SEVERITIES.includes(failOn)) {
    throw new Error(
      `--fail-on must be one of none, ${[...SEVERITIES].reverse().join(', ')}, got "${values['fail-on']}"`,
    );
  }
  const maxFileBytes =
    values['max-file-size'] === undefined
      ? DEFAULT_MAX_FILE_BYTES
      : Number(values['max-file-size']);
  if (!Number.isInteger(maxFileBytes) || maxFileBytes <= 0)
    throw new Error(`--max-file-size must be a positive integer, got "${values['max-file-size']}"`);
  const online: OnlineOptions = onlineOptionsFromEnv(env, {
    hfEndpoint: values['hf-endpoint'],
    pypiEndpoint: values['pypi-endpoint'],
    npmEndpoint: values['npm-endpoint'],
    osvEndpoint: values['osv-endpoint'],
  });
  return {
    dir,
    format,
    output: values.output,
    failOn,
    offline: values.offline as boolean,
    config: values.config,
    online,
    maxFileBytes,
    listRules: values['list-rules'] as boolean,
    help: values.help as boolean,
    version: values.version as boolean,
  };
}

export function extractorSummary(): string {
  return EXTRACTORS.map((e) => `${e.id}: ${e.description}`).join('\n');
}
