/**
 * Runs the Action as the runner does, for the end-to-end tests: the bundle is built with the same
 * esbuild options as dist/index.js (scripts/bundle-options.mjs) into a temporary folder, then
 * started with `node` and the runner's environment: `INPUT_*` for every input in action.yml
 * (defaults included), `GITHUB_EVENT_PATH` pointing at the event payload, `GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY` and `GITHUB_API_URL` pointing at the loopback GitHub stand-in (served
 * under /api/v3, as GitHub Enterprise Server is).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { actionBuildOptions, ROOT } from '../../scripts/bundle-options.mjs';

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const TOKEN = 'ghs_e2eTokenForTheStandIn';
/** `GITHUB_SHA` unless a test names another. */
export const DEFAULT_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';

export interface RunResult {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface RunOptions {
  workspace: string;
  /** The GitHub stand-in's base URL (`GITHUB_API_URL`). */
  apiUrl: string;
  event: unknown;
  eventName?: string;
  inputs?: Record<string, string>;
  /** More runner variables (`GITHUB_REF`, `GITHUB_SHA`…). */
  env?: Record<string, string>;
}

export interface BundledAction {
  /** A fresh folder under the test's temporary folder, holding `files`. */
  workspace(name: string, files: Record<string, string>): string;
  run(options: RunOptions): Promise<RunResult>;
}

/** Builds the bundle once for the test file (beforeAll) and removes everything after (afterAll). */
export function useBundledAction(): BundledAction {
  let tmp = '';
  let bundle = '';
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'lscg-e2e-'));
    bundle = path.join(tmp, 'bundle/index.js');
    await build(actionBuildOptions(bundle));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  return {
    workspace(name, files) {
      const root = path.join(tmp, name);
      for (const [rel, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        writeFileSync(path.join(root, rel), text);
      }
      return root;
    },
    run: (options) => runBundle(tmp, bundle, options),
  };
}

/** The runner passes every input declared in action.yml, defaults included. */
export function inputDefaults(): Record<string, string> {
  const action = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  return Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, spec]) => spec.default !== undefined)
      .map(([name, spec]) => [name, String(spec.default).replace('${{ github.token }}', TOKEN)]),
  );
}

async function runBundle(tmp: string, bundle: string, options: RunOptions): Promise<RunResult> {
  const dir = mkdtempSync(path.join(tmp, 'run-'));
  const files = {
    event: path.join(dir, 'event.json'),
    output: path.join(dir, 'github_output'),
    summary: path.join(dir, 'step_summary.md'),
  };
  writeFileSync(files.event, JSON.stringify(options.event));
  // The runner creates both files before the step starts.
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const inputs = { ...inputDefaults(), offline: 'true', ...options.inputs };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_SHA: DEFAULT_SHA,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    ...options.env,
    ...Object.fromEntries(
      Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
    ),
  };
  const child = spawn(process.execPath, [bundle], { env, cwd: options.workspace });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number>((ok) => child.on('close', (c) => ok(c ?? -1)));
  return {
    code,
    stdout,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

/** `name<<delimiter\nvalue\ndelimiter` blocks, as @actions/core writes GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n?\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}
