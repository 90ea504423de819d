/**
 * A deterministic generator of realistic, well-typed DPL modules for benchmarks: structs
 * with K metadata, Q/Φ opaque types, enums with payloads, impl blocks, loops, matches,
 * Option/Result plumbing and integer arithmetic. Same size in, byte-identical corpus out.
 */

/** Module `i` of the corpus, about `lines` lines long. */
export function generateModule(i: number, lines: number): string {
  const out: string[] = [`// Generated benchmark module ${i}.`, ""];
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
    `/// A record of generated unit ${n}.`,
    `@domain(K)`,
    `struct ${s} {`,
    `    id: u64,`,
    `    weight: i64,`,
    `    label: String,`,
    `    tags: Vec<u32>,`,
    `}`,
    ``,
    `enum ${e} {`,
    `    Empty,`,
    `    Single(u64),`,
    `    Pair(u64, i64),`,
    `    Named { count: u32, total: u64 },`,
    `}`,
    ``,
    `impl ${s} {`,
    `    fn new(id: u64, weight: i64) -> ${s} {`,
    `        ${s} { id: id, weight: weight, label: "unit".to_string(), tags: Vec::new() }`,
    `    }`,
    ``,
    `    fn score(&self, factor: u64) -> u64 {`,
    `        let mut acc: u64 = self.id * factor;`,
    `        let mut i: u32 = 0;`,
    `        while i < 8 {`,
    `            acc = acc + (i as u64) * 3 + 1;`,
    `            i += 1;`,
    `        }`,
    `        if self.weight < 0 { acc / 2 } else { acc + (self.weight as u64) }`,
    `    }`,
    ``,
    `    fn tag(&mut self, t: u32) {`,
    `        self.tags.push(t);`,
    `    }`,
    `}`,
    ``,
    `fn classify_${m}_${n}(k: ${e}) -> u64 {`,
    `    match k {`,
    `        ${e}::Empty => 0,`,
    `        ${e}::Single(x) => x + 1,`,
    `        ${e}::Pair(a, b) => if b > 0 { a + (b as u64) } else { a },`,
    `        ${e}::Named { count, total } => total * (count as u64),`,
    `    }`,
    `}`,
    ``,
    `fn lookup_${m}_${n}(items: &Vec<u64>, wanted: u64) -> Option<usize> {`,
    `    let mut idx: usize = 0;`,
    `    for v in items.iter() {`,
    `        if *v == wanted {`,
    `            return Some(idx);`,
    `        }`,
    `        idx += 1;`,
    `    }`,
    `    None`,
    `}`,
    ``,
    `fn checked_${m}_${n}(a: u64, b: u64) -> Result<u64, ErrorCode> {`,
    `    if b == 0 {`,
    `        return Err(ErrorCode::RESOURCE_EXHAUSTED);`,
    `    }`,
    `    let q = a / b;`,
    `    Ok(q + a % b)`,
    `}`,
    ``,
    `fn drive_${m}_${n}(seed: u64) -> Result<u64, ErrorCode> {`,
    `    let mut r = ${s}::new(seed, 7);`,
    `    r.tag(3);`,
    `    let base = r.score(5);`,
    `    let c = classify_${m}_${n}(${e}::Pair(base, -2));`,
    `    let items = vec![1, 2, 3, base];`,
    `    let found = match lookup_${m}_${n}(&items, base) {`,
    `        Some(i) => i as u64,`,
    `        None => 0,`,
    `    };`,
    `    let q = checked_${m}_${n}(c + found, 3)?;`,
    `    Ok(q)`,
    `}`,
  ];
}

export interface Corpus {
  readonly files: { readonly name: string; readonly text: string }[];
  readonly lines: number;
  readonly bytes: number;
}

/** About `totalLines` lines split into modules of about 1,000 lines. */
export function generateCorpus(totalLines: number): Corpus {
  const perFile = 1000;
  const count = Math.max(1, Math.round(totalLines / perFile));
  const files = Array.from({ length: count }, (_, i) => ({ name: `m${String(i).padStart(4, "0")}.ds`, text: generateModule(i, perFile) }));
  let lines = 0;
  let bytes = 0;
  for (const f of files) {
    lines += f.text.split("\n").length - 1;
    bytes += Buffer.byteLength(f.text);
  }
  return { files, lines, bytes };
}
