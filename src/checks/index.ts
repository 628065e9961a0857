import type { Check } from './types.js';
import { unpinnedRevision } from './unpinned-revision.js';
import { unsafeWeightsFormat } from './unsafe-weights-format.js';
import { remoteCode } from './remote-code.js';
import { dependencyUnpinned } from './dependency-unpinned.js';
import { parseError } from './parse-error.js';
import { fileSkipped } from './file-skipped.js';

/** Every rule the engine runs. Adding one is a file and a line here. */
export const CHECKS: readonly Check[] = [
  unpinnedRevision,
  unsafeWeightsFormat,
  remoteCode,
  dependencyUnpinned,
  parseError,
  fileSkipped,
];
