/**
 * What the training-config extractor reads, per key. Only keys whose value is handed to a Hub
 * loader are listed; outputs (`hub_model_id`, `output_dir`) and registry keys (LLaMA-Factory's
 * `dataset`, which names dataset_info.json entries) are deliberately absent.
 */

export interface KeyRule {
  kind: 'model' | 'dataset';
  /** The value goes straight to from_pretrained/load_dataset, so a bare `gpt2` is a Hub id. */
  bare: boolean;
  /** Sibling keys holding the revision, most specific first. */
  revisionKeys: readonly string[];
  /** The value may list several ids separated by commas (LLaMA-Factory adapters). */
  commaList?: boolean;
}

const MODEL_REVISIONS = ['model_revision', 'revision'] as const;

export const KEY_RULES: ReadonlyMap<string, KeyRule> = new Map<string, KeyRule>([
  // axolotl: `revision_of_model` pins base_model and the config loaded with it.
  [
    'base_model',
    { kind: 'model', bare: true, revisionKeys: ['revision_of_model', ...MODEL_REVISIONS] },
  ],
  ['base_model_config', { kind: 'model', bare: true, revisionKeys: ['revision_of_model'] }],
  ['tokenizer_config', { kind: 'model', bare: true, revisionKeys: ['tokenizer_revision'] }],
  // transformers/TRL/LLaMA-Factory model arguments.
  ['model_name_or_path', { kind: 'model', bare: true, revisionKeys: MODEL_REVISIONS }],
  ['pretrained_model_name_or_path', { kind: 'model', bare: true, revisionKeys: MODEL_REVISIONS }],
  ['model_id', { kind: 'model', bare: false, revisionKeys: MODEL_REVISIONS }],
  // run_clm & co. load the tokenizer with the model's revision.
  [
    'tokenizer_name',
    { kind: 'model', bare: true, revisionKeys: ['tokenizer_revision', ...MODEL_REVISIONS] },
  ],
  [
    'tokenizer_name_or_path',
    { kind: 'model', bare: true, revisionKeys: ['tokenizer_revision', ...MODEL_REVISIONS] },
  ],
  ['teacher_model', { kind: 'model', bare: false, revisionKeys: ['teacher_model_revision'] }],
  ['reward_model', { kind: 'model', bare: false, revisionKeys: ['reward_model_revision'] }],
  ['ref_model', { kind: 'model', bare: false, revisionKeys: ['ref_model_revision'] }],
  ['adapter_name_or_path', { kind: 'model', bare: false, revisionKeys: [], commaList: true }],
  ['dataset_name', { kind: 'dataset', bare: true, revisionKeys: ['dataset_revision'] }],
  ['dataset_id', { kind: 'dataset', bare: false, revisionKeys: ['dataset_revision'] }],
]);

/** Lists of dataset entries (`- path: org/name`) in axolotl and alignment-handbook configs. */
export const DATASET_LIST_KEYS = new Set(['datasets', 'test_datasets', 'pretraining_dataset']);

/** `load_dataset` builder names, which are not Hub repos even where bare ids are allowed. */
export const DATASET_BUILDERS = new Set([
  'json',
  'csv',
  'parquet',
  'text',
  'arrow',
  'pandas',
  'sql',
  'generator',
  'imagefolder',
  'audiofolder',
  'videofolder',
  'webdataset',
]);

/**
 * A line-start key that only training configs carry. Files without one are skipped before any
 * YAML parsing, which keeps the extractor cheap on the many YAML files of a repository.
 */
export const TRAINING_HINT =
  /^[ \t-]*(?:base_model|base_model_config|tokenizer_config|model_name_or_path|pretrained_model_name_or_path|model_id|tokenizer_name|tokenizer_name_or_path|teacher_model|reward_model|ref_model|adapter_name_or_path|dataset_name|dataset_id|datasets|test_datasets|pretraining_dataset|dataset_mixer|dataset_mixture|_component_)[ \t]*:/m;
