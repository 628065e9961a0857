import type { WeightsFormat } from '../types.js';

/**
 * Classifies a weights file by name. Pickle-based formats run code on load (torch.load without
 * weights_only, joblib, numpy allow_pickle), so they are the ones unsafe-weights-format flags.
 */
export function weightsFormat(name: string): WeightsFormat | null {
  const lower = name.toLowerCase().replace(/[?#].*$/, '');
  if (lower.endsWith('.safetensors')) return 'safetensors';
  if (/\.(?:bin|pt|pth|ckpt|pkl|pickle|joblib|pt\.gz)$/.test(lower)) return 'pickle';
  if (lower.endsWith('.gguf') || lower.endsWith('.ggml')) return 'gguf';
  if (lower.endsWith('.onnx')) return 'onnx';
  if (lower.endsWith('.keras') || lower.endsWith('.h5')) return 'keras';
  if (/\.(?:msgpack|tflite|mlmodel|npz)$/.test(lower)) return 'other';
  return null;
}

/** The safetensors name a pickle file would have in the same repo (the usual twin names). */
export function safetensorsTwin(name: string): string[] {
  const base = name.replace(/\.(?:bin|pt|pth|ckpt)$/i, '');
  const twins = [`${base}.safetensors`];
  if (/pytorch_model/.test(base))
    twins.push(base.replace('pytorch_model', 'model') + '.safetensors');
  if (/adapter_model/.test(base)) twins.push(`${base}.safetensors`);
  return [...new Set(twins)];
}
