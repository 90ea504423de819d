/**
 * The benchmark corpus's twin in hand-written-style TypeScript: the same units (a record
 * with methods, a tagged union, a match, a lookup, Result-like error plumbing), line for
 * line of similar size, so `tsc --noEmit --strict` on it is a fair yardstick for
 * `dplc check` on the DPL corpus.
 */
export function generateTsModule(i: number, lines: number): string {
  const out: string[] = [`// Generated benchmark module ${i}.`, `type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };`, ""];
  let n = 0;
  while (out.length < lines) {
    out.push(...unit(i, n++));
    out.push("");
  }
  return out.join("\n") + "\n";
}

function unit(m: number, n: number): string[] {
  const s = `Rec${m}_${n}`;
  const e = `Kind${m}_${n}`;
  return [
    `/** A record of generated unit ${n}. */`,
    `export class ${s} {`,
    `  constructor(`,
    `    public id: bigint,`,
    `    public weight: bigint,`,
    `    public label: string,`,
    `    public tags: number[],`,
    `  ) {}`,
    ``,
    `  static create(id: bigint, weight: bigint): ${s} {`,
    `    return new ${s}(id, weight, "unit", []);`,
    `  }`,
    ``,
    `  score(factor: bigint): bigint {`,
    `    let acc: bigint = this.id * factor;`,
    `    let i = 0;`,
    `    while (i < 8) {`,
    `      acc = acc + BigInt(i) * 3n + 1n;`,
    `      i += 1;`,
    `    }`,
    `    return this.weight < 0n ? acc / 2n : acc + this.weight;`,
    `  }`,
    ``,
    `  tag(t: number): void {`,
    `    this.tags.push(t);`,
    `  }`,
    `}`,
    ``,
    `export type ${e} =`,
    `  | { tag: "Empty" }`,
    `  | { tag: "Single"; _0: bigint }`,
    `  | { tag: "Pair"; _0: bigint; _1: bigint }`,
    `  | { tag: "Named"; count: number; total: bigint };`,
    ``,
    `export function classify_${m}_${n}(k: ${e}): bigint {`,
    `  switch (k.tag) {`,
    `    case "Empty":`,
    `      return 0n;`,
    `    case "Single":`,
    `      return k._0 + 1n;`,
    `    case "Pair":`,
    `      return k._1 > 0n ? k._0 + k._1 : k._0;`,
    `    case "Named":`,
    `      return k.total * BigInt(k.count);`,
    `  }`,
    `}`,
    ``,
    `export function lookup_${m}_${n}(items: readonly bigint[], wanted: bigint): number | null {`,
    `  let idx = 0;`,
    `  for (const v of items) {`,
    `    if (v === wanted) return idx;`,
    `    idx += 1;`,
    `  }`,
    `  return null;`,
    `}`,
    ``,
    `export function checked_${m}_${n}(a: bigint, b: bigint): Result<bigint, string> {`,
    `  if (b === 0n) return { ok: false, error: "RESOURCE_EXHAUSTED" };`,
    `  const q = a / b;`,
    `  return { ok: true, value: q + (a % b) };`,
    `}`,
    ``,
    `export function drive_${m}_${n}(seed: bigint): Result<bigint, string> {`,
    `  const r = ${s}.create(seed, 7n);`,
    `  r.tag(3);`,
    `  const base = r.score(5n);`,
    `  const c = classify_${m}_${n}({ tag: "Pair", _0: base, _1: -2n });`,
    `  const items = [1n, 2n, 3n, base];`,
    `  const at = lookup_${m}_${n}(items, base);`,
    `  const found = at === null ? 0n : BigInt(at);`,
    `  const q = checked_${m}_${n}(c + found, 3n);`,
    `  if (!q.ok) return q;`,
    `  return { ok: true, value: q.value };`,
    `}`,
  ];
}
