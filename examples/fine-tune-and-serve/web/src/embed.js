import { pipeline } from '@huggingface/transformers';

const EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';

export async function embed(texts) {
  const extractor = await pipeline('feature-extraction', EMBEDDING_MODEL, { revision: 'main' });
  return extractor(texts, { pooling: 'mean', normalize: true });
}
