// The spdx-* packages ship no types; these cover the parts the policy code calls.

declare module 'spdx-expression-parse' {
  export interface SpdxLeaf {
    license: string;
    plus?: boolean;
    exception?: string;
  }
  export interface SpdxConjunction {
    left: SpdxNode;
    conjunction: 'and' | 'or';
    right: SpdxNode;
  }
  export type SpdxNode = SpdxLeaf | SpdxConjunction;
  /** Throws on text that is not a valid SPDX expression (ids are case-sensitive). */
  export default function parse(expression: string): SpdxNode;
}

declare module 'spdx-satisfies' {
  /** True when `expression` can be met using only `approved` (simple ids, `+` ranges, `WITH`). */
  export default function satisfies(expression: string, approved: string[]): boolean;
}
