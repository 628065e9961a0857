import type { Registry } from '../types.js';

// PLACEHOLDER: replaced by the Hub registry.
export const huggingface: Registry = { id: 'huggingface', enrich: async () => ({}) };
