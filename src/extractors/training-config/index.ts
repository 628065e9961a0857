import type { Extractor } from '../../types.js';
import { emptyExtraction } from '../extraction.js';

// PLACEHOLDER: being implemented; replaced by the real extractor before this lands.
export const extractor: Extractor = {
  id: 'training-config',
  description: '',
  match: () => false,
  extract: () => emptyExtraction(),
};
