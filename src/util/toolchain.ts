/**
 * The packages that load weights, run models or talk to model APIs: the ML toolchain. Checks
 * weigh these above ordinary dependencies (unpinned, drift), because a change in them changes
 * how weights are deserialised and what code runs on load.
 */
const PYPI_EXACT = new Set([
  'torch',
  'torchvision',
  'torchaudio',
  'transformers',
  'vllm',
  'accelerate',
  'peft',
  'tokenizers',
  'safetensors',
  'datasets',
  'huggingface-hub',
  'diffusers',
  'sentence-transformers',
  'openai',
  'anthropic',
  'keras',
  'tensorflow',
  'tensorflow-cpu',
  'tensorflow-gpu',
  'jax',
  'jaxlib',
  'flax',
  'trl',
  'bitsandbytes',
  'deepspeed',
  'xformers',
  'flash-attn',
  'timm',
  'open-clip-torch',
  'optimum',
  'auto-gptq',
  'autoawq',
  'llama-cpp-python',
  'text-generation',
  'mlx',
  'mlx-lm',
  'sglang',
  'tiktoken',
  'sentencepiece',
  'gguf',
  'ctransformers',
  'unsloth',
  'axolotl',
  'llamafactory',
  'torchtune',
  'lm-eval',
  'litellm',
  'ollama',
  'onnx',
  'onnxruntime',
  'onnxruntime-gpu',
  'triton',
  'dspy',
  'dspy-ai',
  'haystack-ai',
  'instructor',
]);
const PYPI_PREFIXES = ['langchain', 'llama-index', 'onnx', 'llama_index'];

const NPM_EXACT = new Set([
  '@huggingface/transformers',
  '@xenova/transformers',
  '@huggingface/hub',
  '@huggingface/inference',
  'openai',
  '@anthropic-ai/sdk',
  'onnxruntime-node',
  'onnxruntime-web',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-node',
  'ollama',
  'ai',
  '@mlc-ai/web-llm',
  'node-llama-cpp',
]);
const NPM_PREFIXES = ['langchain', '@langchain/', 'llamaindex', '@llamaindex/', '@ai-sdk/'];

export function isMlToolchain(ecosystem: string, name: string): boolean {
  const id = name.toLowerCase();
  if (ecosystem === 'pypi')
    return PYPI_EXACT.has(id) || PYPI_PREFIXES.some((p) => id.startsWith(p));
  if (ecosystem === 'npm') return NPM_EXACT.has(id) || NPM_PREFIXES.some((p) => id.startsWith(p));
  if (ecosystem === 'conda')
    return PYPI_EXACT.has(id) || id === 'pytorch' || PYPI_PREFIXES.some((p) => id.startsWith(p));
  return false;
}
