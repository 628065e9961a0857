import type { Registry } from '../types.js';

// PLACEHOLDER: replaced by the npm registry.
export const npm: Registry = { id: 'npm', enrich: async () => ({}) };
