import * as core from '@actions/core';
import path from 'node:path';
import { ConfigurationError } from './errors.js';
import { onlineOptionsFromEnv, type OnlineOptions } from './registries/index.js';
import { SEVERITIES, type Severity } from './types.js';

export interface Inputs {
  /** Absolute root to scan. */
  path: string;
  /** The root relative to the workspace, for annotation paths. */
  pathFromWorkspace: string;
  failOn: Severity | 'none';
  offline: boolean;
  online: OnlineOptions;
}

/** Every action input is read and validated here, once; an invalid input names itself. */
export function readInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const root = path.resolve(workspace, core.getInput('path') || '.');
  const failOn = (core.getInput('fail-on') || 'high') as Severity | 'none';
  if (failOn !== 'none' && !SEVERITIES.includes(failOn)) {
    throw new ConfigurationError(
      `Input "fail-on" must be one of none, info, low, medium, high, critical; got "${failOn}".`,
    );
  }
  const hfToken = core.getInput('hf-token');
  if (hfToken) core.setSecret(hfToken);
  return {
    path: root,
    pathFromWorkspace: path.relative(workspace, root).split(path.sep).join('/'),
    failOn,
    offline: booleanInput('offline', false),
    online: onlineOptionsFromEnv(env, { hfEndpoint: core.getInput('hf-endpoint'), hfToken }),
  };
}

function booleanInput(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim().toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', '1'].includes(raw)) return true;
  if (['false', 'no', '0'].includes(raw)) return false;
  throw new ConfigurationError(`Input "${name}" must be true or false; got "${raw}".`);
}
