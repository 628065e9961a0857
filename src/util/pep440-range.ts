import { validRange } from '@renovatebot/pep440';

/**
 * The common PEP 440 specifiers (`>=1.2.3`, `==2.0`, `~=4.1, <5`): comma-separated clauses of an
 * operator and a plain release. Every string this accepts is a valid specifier set; anything else
 * goes to @renovatebot/pep440, whose one large regex made requirement files the slowest kind per
 * byte (npm run bench).
 */
const SIMPLE_CLAUSE = /^\s*(?:(?:==|!=|<=|>=|<|>)\s*\d+(?:\.\d+)*|~=\s*\d+(?:\.\d+)+)\s*$/;

export function validPep440Range(spec: string): boolean {
  if (spec.split(',').every((clause) => SIMPLE_CLAUSE.test(clause))) return true;
  return !!validRange(spec);
}
