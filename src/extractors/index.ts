import type { Extractor } from '../types.js';
import { extractor as hfConfig } from './hf-config/index.js';
import { extractor as peftAdapter } from './peft-adapter/index.js';
import { extractor as modelCard } from './model-card/index.js';
import { extractor as weightsIndex } from './weights-index/index.js';
import { extractor as lfsPointer } from './lfs-pointer/index.js';
import { extractor as dvc } from './dvc/index.js';
import { extractor as trainingConfig } from './training-config/index.js';
import { extractor as servingConfig } from './serving-config/index.js';
import { extractor as modelfile } from './modelfile/index.js';
import { extractor as pythonSource } from './python-source/index.js';
import { extractor as jsSource } from './js-source/index.js';
import { extractor as pipRequirements } from './pip-requirements/index.js';
import { extractor as pyproject } from './pyproject/index.js';
import { extractor as poetryLock } from './poetry-lock/index.js';
import { extractor as uvLock } from './uv-lock/index.js';
import { extractor as pipenv } from './pipenv/index.js';
import { extractor as conda } from './conda/index.js';
import { extractor as npm } from './npm/index.js';

/** Every file kind the engine reads. Adding one is a folder and a line here. */
export const EXTRACTORS: readonly Extractor[] = [
  hfConfig,
  peftAdapter,
  modelCard,
  weightsIndex,
  lfsPointer,
  dvc,
  trainingConfig,
  servingConfig,
  modelfile,
  pythonSource,
  jsSource,
  pipRequirements,
  pyproject,
  poetryLock,
  uvLock,
  pipenv,
  conda,
  npm,
];
