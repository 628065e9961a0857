import type { Extraction, Extractor, ExtractInput, Location } from '../../types.js';
import { errorMessage, problemOnly } from '../extraction.js';
import { parseYaml } from '../../util/yaml.js';
import { Emitter } from './emit.js';
import type { LineIndex } from '../../util/text.js';
import { collectAssignments, scanCommand, scanEnv, type Scope } from './commands.js';
import { scanDockerfile } from './dockerfile.js';
import { shellCommands } from './shell.js';
import { isCompose, isKubernetes, scanCompose, scanKubernetes } from './yaml-kinds.js';

const DOCKERFILE = /^(?:dockerfile|containerfile)(?:[._-].*)?$|\.(?:dockerfile|containerfile)$/i;
const SHELL = /\.(?:sh|bash)$/i;
const ENV_FILE = /^\.env(?:\..+)?$|\.env$/i;
const YAML = /\.ya?ml$/i;
const COMPOSE_NAME = /^(?:docker-)?compose[^/]*\.ya?ml$/i;
/** Folders whose YAML is deployment: plain manifests, Helm charts and values. */
const DEPLOY_DIR = /(?:^|\/)(?:k8s|kubernetes|deploy[^/]*|manifests|helm|charts)\//i;
/** Cheap content test for YAML elsewhere: a compose file or a Kubernetes object. */
const DEPLOY_CONTENT = /^(?:services|apiVersion|kind)[ \t]*:/m;

export const extractor: Extractor = {
  id: 'serving-config',
  description:
    'Model-serving deployments (vLLM, TGI, TEI, SGLang, llama.cpp): Dockerfiles, docker-compose files, Kubernetes manifests, shell scripts and .env files — --model/--model-id flags, MODEL_ID env, `vllm serve`, `huggingface-cli download`, revisions and --trust-remote-code.',
  match(path) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    return isDockerfile(base) || SHELL.test(base) || ENV_FILE.test(base) || YAML.test(base);
  },
  extract(input) {
    try {
      return extractServing(input);
    } catch (error) {
      return problemOnly({
        file: input.path,
        line: 1,
        column: 1,
        message: `could not read serving config: ${errorMessage(error)}`,
      });
    }
  },
};

/** `Dockerfile.rocm`, `tgi.dockerfile`, but not `Dockerfile.md` notes about one. */
function isDockerfile(base: string): boolean {
  return DOCKERFILE.test(base) && !/\.(?:md|rst|txt|json|ya?ml|sh|py)$/i.test(base);
}

function extractServing(input: ExtractInput): Extraction {
  const base = input.path.slice(input.path.lastIndexOf('/') + 1);
  const emitter = new Emitter(input.path, input.text);
  if (YAML.test(base)) yamlFile(input, base, emitter);
  else if (isDockerfile(base)) scanDockerfile(emitter);
  else scanScript(emitter);
  emitter.out.references.sort((a, b) => a.line - b.line || a.column - b.column);
  return emitter.out;
}

/** Shell scripts and .env files: assignments are variables and one env block. */
function scanScript(emitter: Emitter): void {
  const commands = shellCommands(emitter.text, (k) => k);
  const variables = collectAssignments(commands);
  const scope: Scope = { emitter, variables, server: false, container: false };
  scanEnv(variables, scope);
  for (const words of commands) scanCommand(words, scope);
}

function yamlFile(input: ExtractInput, base: string, emitter: Emitter): void {
  const deployDir = DEPLOY_DIR.test(input.path);
  const named = COMPOSE_NAME.test(base);
  if (!deployDir && !named && !DEPLOY_CONTENT.test(input.text)) return;
  const yaml = parseYaml(input.text);
  let ours = deployDir || named;
  for (const doc of yaml.docs) {
    if (isCompose(doc)) scanCompose(doc, emitter);
    else if (isKubernetes(doc) || deployDir) scanKubernetes(doc.contents, emitter);
    else continue;
    ours = true;
  }
  // Helm templates (`{{ .Values.x }}`) are not YAML until rendered: their errors are not the file's.
  if (ours && yaml.error && !input.text.includes('{{')) {
    emitter.out.problems.push({
      ...errorLocation(emitter.lines, input.path, yaml.error.offset),
      message: `YAML syntax error: ${yaml.error.message}`,
    });
  }
}

/** The error's place, kept on the visible text of its line (a parser may point past a `\r`). */
function errorLocation(lines: LineIndex, file: string, offset: number): Location {
  const { line, column } = lines.position(offset);
  return { file, line, column: Math.min(column, lines.lineText(line).length + 1) };
}
