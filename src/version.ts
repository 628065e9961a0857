/** Replaced at bundle time from package.json; the fallback serves tests run from source. */
declare const __LSCG_VERSION__: string | undefined;

export const TOOL_NAME = 'llm-supply-chain-guard';
export const TOOL_VERSION: string =
  typeof __LSCG_VERSION__ === 'string' ? __LSCG_VERSION__ : '0.0.0-dev';
export const TOOL_URL = 'https://github.com/llm-supply-chain-guard/llm-supply-chain-guard';
