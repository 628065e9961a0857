import { isCommitSha, parseHubId } from '../../src/util/hub-id.js';

describe('parseHubId', () => {
  it.each([
    ['meta-llama/Llama-3.1-8B', 'meta-llama/Llama-3.1-8B'],
    ['https://huggingface.co/mistralai/Mistral-7B-v0.1', 'mistralai/Mistral-7B-v0.1'],
    ['hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF', 'bartowski/Llama-3.2-1B-Instruct-GGUF'],
    ['https://huggingface.co/datasets/tatsu-lab/alpaca', 'tatsu-lab/alpaca'],
    [
      'https://huggingface.co/google-bert/bert-base-uncased/tree/main',
      'google-bert/bert-base-uncased',
    ],
  ])('%s is %s', (raw, id) => {
    expect(parseHubId(raw)?.id).toBe(id);
  });

  it.each([
    './ckpt',
    '/models/x',
    'outputs/',
    'outputs/checkpoint-1000',
    '~/models/llama',
    'models/llama',
    's3://bucket/model',
    '${MODEL_ID}',
    'C:\\models\\x',
    'org/name/extra',
    'config.json',
    'org/model.safetensors',
    'org--x/name',
    '',
  ])('%s is not a Hub id', (raw) => {
    expect(parseHubId(raw, { bare: true })).toBeNull();
  });

  it('accepts bare ids only when asked', () => {
    expect(parseHubId('gpt2')).toBeNull();
    expect(parseHubId('gpt2', { bare: true })?.id).toBe('gpt2');
    expect(parseHubId('outputs', { bare: true })).toBeNull();
    expect(parseHubId('checkpoint-500', { bare: true })).toBeNull();
    expect(parseHubId('global_step1000', { bare: true })).toBeNull();
  });
});

describe('isCommitSha', () => {
  it('needs 7 to 40 hex characters', () => {
    expect(isCommitSha('607a30d')).toBe(true);
    expect(isCommitSha('607a30d783dfa663caf39e06633721c8d4cfcd7e')).toBe(true);
    expect(isCommitSha('607a30')).toBe(false);
    expect(isCommitSha('main')).toBe(false);
    expect(isCommitSha('v1.0.0')).toBe(false);
    expect(isCommitSha(null)).toBe(false);
  });
});
