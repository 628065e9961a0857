import { editDistance, nearMiss, skeleton } from '../../src/policy/typosquat.js';
import { WELL_KNOWN_MODELS, WELL_KNOWN_PUBLISHERS } from '../../src/policy/well-known.js';

describe('typosquat detection', () => {
  it('folds look-alike characters', () => {
    expect(skeleton('meta-Ilama')).toBe(skeleton('meta-llama'));
    expect(skeleton('rnistralai')).toBe(skeleton('mistralai'));
    expect(skeleton('goog1e')).toBe(skeleton('google'));
    expect(skeleton('deepseek-a1')).toBe(skeleton('deepseek-ai'));
    expect(skeleton('micr0soft')).toBe(skeleton('microsoft'));
    expect(skeleton('Qvven')).toBe(skeleton('Qwen'));
    expect(skeleton('meta_llama')).toBe(skeleton('meta-llama'));
    expect(skeleton('gооgle')).toBe(skeleton('google')); // Cyrillic о
  });

  it('measures edits, transpositions included, and stops past the bound', () => {
    expect(editDistance('mistralai', 'mistrali')).toBe(1);
    expect(editDistance('nvidia', 'nvdiia')).toBe(1);
    expect(editDistance('tiiuae', 'tiuae')).toBe(1);
    expect(editDistance('google', 'microsoft', 2)).toBe(3);
  });

  it.each([
    ['meta-Ilama', 'meta-llama', 'look-alike'],
    ['meta-llarna', 'meta-llama', 'look-alike'],
    ['rnistralai', 'mistralai', 'look-alike'],
    ['Qvven', 'Qwen', 'look-alike'],
    ['deepseek-a1', 'deepseek-ai', 'look-alike'],
    ['mistrall', 'mistral' + 'ai', 'edit'],
    ['metallama', 'meta-llama', 'edit'],
    ['EleutherAl', 'EleutherAI', 'look-alike'],
    ['stabilityia', 'stabilityai', 'edit'],
    ['sentence-transfomers', 'sentence-transformers', 'edit'],
  ])('%s imitates %s (%s)', (name, target, how) => {
    expect(nearMiss(name, WELL_KNOWN_PUBLISHERS)).toMatchObject({ target, how });
  });

  it.each([
    'meta-llama', // the real one
    'META-LLAMA', // the Hub resolves namespaces case-insensitively
    'facebook',
    'FacebookAI', // both real and close to each other
    'TheBloke',
    'my-company',
    'owen', // four letters: one edit is just another name
    'googleapis',
    'microsoft-research',
    'unsloth',
    'bartowski',
  ])('%s is not a near miss', (name) => {
    expect(nearMiss(name, WELL_KNOWN_PUBLISHERS)).toBeNull();
  });

  it('compares legacy one-segment model ids with the well-known ones', () => {
    expect(nearMiss('gtp2', WELL_KNOWN_MODELS)).toMatchObject({ target: 'gpt2', how: 'edit' });
    expect(nearMiss('bert-base-uncasd', WELL_KNOWN_MODELS)).toMatchObject({
      target: 'bert-base-uncased',
    });
    expect(nearMiss('bert-base-cased', WELL_KNOWN_MODELS)).toBeNull();
    expect(nearMiss('gpt2', WELL_KNOWN_MODELS)).toBeNull();
  });
});
