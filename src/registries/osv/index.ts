import type { Registry } from '../types.js';

// PLACEHOLDER: replaced by the osv registry.
export const osv: Registry = { id: 'osv', enrich: async () => ({}) };
