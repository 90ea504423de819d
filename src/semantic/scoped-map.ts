/**
 * A Map that can hold a scope: while a scope is open, new keys go into a map of their own,
 * which closing the scope drops (keeping the entries a filter accepts). Lookups, updates
 * of existing keys and iteration see both.
 *
 * Why: a diagnostics-only check of a large file types one item at a time and then lets go
 * of the item's entries (release.ts). Deleting them from the long-lived tables made V8
 * resize each table twice per item, and the table of a long-lived map is allocated in the
 * old generation: every resize left garbage there, and stale table copies kept the item's
 * syntax alive until the next full collection. A scope's own map is young and dies young.
 */
export class ScopedMap<K, V> extends Map<K, V> {
  #scope: Map<K, V> | null = null;

  // Map's own constructor would call the `set` below before `#scope` exists.
  constructor(entries?: Iterable<readonly [K, V]> | null) {
    super();
    if (entries) for (const [k, v] of entries) super.set(k, v);
  }

  /** Open a scope (a no-op if one is open). */
  open(): void {
    this.#scope ??= new Map();
  }

  /** Close the scope: its entries that `keep` accepts join the map, the others are dropped. */
  close(keep: (key: K, value: V) => boolean): void {
    const scope = this.#scope;
    if (scope === null) return;
    this.#scope = null;
    for (const [k, v] of scope) if (keep(k, v)) super.set(k, v);
  }

  override get(key: K): V | undefined {
    const scope = this.#scope;
    if (scope !== null) {
      const v = scope.get(key);
      if (v !== undefined || scope.has(key)) return v;
    }
    return super.get(key);
  }

  override has(key: K): boolean {
    return (this.#scope !== null && this.#scope.has(key)) || super.has(key);
  }

  override set(key: K, value: V): this {
    const scope = this.#scope;
    if (scope !== null && !super.has(key)) scope.set(key, value);
    else super.set(key, value);
    return this;
  }

  override delete(key: K): boolean {
    const inScope = this.#scope !== null && this.#scope.delete(key);
    return super.delete(key) || inScope;
  }

  override clear(): void {
    this.#scope?.clear();
    super.clear();
  }

  override get size(): number {
    return super.size + (this.#scope?.size ?? 0);
  }

  override *entries(): MapIterator<[K, V]> {
    yield* super.entries();
    if (this.#scope !== null) yield* this.#scope.entries();
  }

  override *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  override *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }
}
