import type { Registry } from '../types.js';

// PLACEHOLDER: replaced by the pypi registry.
export const pypi: Registry = { id: 'pypi', enrich: async () => ({}) };
