/**
 * Near misses of well-known names: what a user mistypes, or what an attacker registers to be
 * mistaken for the real thing. Two tests: the names look the same once look-alike characters are
 * folded (`meta-Ilama`, `rnistralai`, `goog1e`), or they are a small edit apart (`mistrali`).
 */

/** Non-ASCII letters that render like ASCII ones (Cyrillic and Greek), folded first. */
const CONFUSABLE: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ο: 'o',
  α: 'a',
  ν: 'v',
  ι: 'i',
  κ: 'k',
  τ: 't',
};

/**
 * The shape a name shows a reader. Case is folded because Hub namespaces resolve
 * case-insensitively; `I`, `i`, `1` and `l` fold together because in most fonts some pair of them
 * is indistinguishable; `rn`/`m`, `vv`/`w`, `0`/`o`; and `_`/`.`/`-` are one separator.
 */
export function skeleton(name: string): string {
  return [...name.toLowerCase()]
    .map((c) => CONFUSABLE[c] ?? c)
    .join('')
    .replace(/[_.]/g, '-')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/0/g, 'o')
    .replace(/[1i|]/g, 'l');
}

/** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prevPrev[j - 2] as number) + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * Edits tolerated for a name of this length. Short names get none: four letters one edit apart
 * are usually just different names (`Qwen`/`Owen`), so only look-alikes and swapped neighbours
 * (`gtp2`) count there.
 */
function allowedEdits(length: number): number {
  if (length <= 4) return 0;
  if (length <= 8) return 1;
  return 2;
}

export interface NearMiss {
  /** The well-known name it resembles, as listed. */
  target: string;
  how: 'look-alike' | 'edit';
  distance: number;
}

/**
 * The well-known name `name` is a near miss of, or null. A name equal to a well-known one
 * (ignoring case) is never a near miss, even when it also resembles another (`facebook` and
 * `FacebookAI` are both real).
 */
export function nearMiss(name: string, wellKnown: readonly string[]): NearMiss | null {
  const lower = name.toLowerCase();
  if (wellKnown.some((w) => w.toLowerCase() === lower)) return null;
  const shape = skeleton(name);
  let best: NearMiss | null = null;
  for (const target of wellKnown) {
    const targetLower = target.toLowerCase();
    if (skeleton(target) === shape) {
      const distance = editDistance(lower, targetLower);
      if (!best || best.how !== 'look-alike' || distance < best.distance)
        best = { target, how: 'look-alike', distance };
      continue;
    }
    if (best?.how === 'look-alike') continue;
    const max = allowedEdits(targetLower.length);
    if (max === 0 && !swapsNeighbours(lower, targetLower)) continue;
    const distance = editDistance(lower, targetLower, Math.max(max, 1));
    if (distance <= Math.max(max, 1) && (!best || distance < best.distance))
      best = { target, how: 'edit', distance };
  }
  return best;
}

function swapsNeighbours(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return (
    diff.length === 2 &&
    diff[1] === (diff[0] as number) + 1 &&
    a[diff[0] as number] === b[diff[1] as number] &&
    a[diff[1] as number] === b[diff[0] as number]
  );
}
