/**
 * Q and Φ values in emitted TypeScript: opaque at the type level and at run time.
 *
 * Type level: `Q<T>` and `Phi<T>` (alias `Φ<T>`) are object types keyed by two different
 * `unique symbol`s that this module never exports. So, with no cast in sight, tsc rejects
 * what the DPL checker rejects:
 *   - a `Q<S>` where a `Phi<S>` or a plain `S` is expected, and the reverse (DPL3001),
 *   - reading the state out of a `Q<S>`: there is no property a K function can name (DPL3003).
 * `K<T>` is `T` itself, as in DPL (`K<T>` is the same type as `T` when `T` is K).
 *
 * Run time: a sealed value is a `Sealed` object whose state lives in an ECMAScript private
 * field, so neither `JSON.stringify`, `Object.keys`, spreading nor `console.log` can reach
 * it; the formatter, `eq`/`cmp` and `clone` refuse it with a `domain_panic` fault.
 *
 * Construction path: only the host layer (the Q/Φ providers behind the ABI) may create or
 * open sealed values, with `sealQ`/`sealPhi`/`unsealQ`/`unsealPhi`. The runtime's public
 * entry (`index.ts`), which is all that emitted code imports, does not re-export them.
 */

declare const Q_STATE: unique symbol;
declare const PHI_STATE: unique symbol;

/** A Q-domain value with state of host type `S`; opaque to K code. */
export interface Q<S> {
  readonly [Q_STATE]: S;
}

/** A Φ-domain value with state of host type `S`; opaque to K code. */
export interface Phi<S> {
  readonly [PHI_STATE]: S;
}

/** `Φ<T>`, DPL's own spelling (Φ is a valid TypeScript identifier). */
export type Φ<S> = Phi<S>;

/** `K<T>` is `T`: K is the domain every plain value already has. */
export type K<T> = T;

export type DomainName = "K" | "Q" | "Φ";

/** `DomainType<D, T>` with the domain given as its tag. */
export type DomainType<D extends DomainName, T> = D extends "Q" ? Q<T> : D extends "Φ" ? Phi<T> : T;

/**
 * The run-time form of every Q and Φ value. Deliberately has no enumerable property and
 * no accessor for its state: only the module-private functions below can read it.
 */
class Sealed {
  readonly #domain: "Q" | "Φ";
  readonly #state: unknown;

  constructor(domain: "Q" | "Φ", state: unknown) {
    this.#domain = domain;
    this.#state = state;
    Object.freeze(this);
  }

  static domainOf(value: Sealed): "Q" | "Φ" {
    return value.#domain;
  }

  static stateOf(value: Sealed, domain: "Q" | "Φ"): unknown {
    if (value.#domain !== domain) throw new TypeError(`expected a ${domain} value, got a ${value.#domain} value`);
    return value.#state;
  }

  toString(): string {
    return `[${this.#domain} value]`;
  }

  toJSON(): never {
    throw new TypeError(`${this.#domain} state cannot be serialized`);
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `${this.#domain}<opaque>`;
  }
}

export function isSealed(value: unknown): boolean {
  return value instanceof Sealed;
}

/** The domain of a sealed value ("Q" or "Φ"), for fault messages. */
export function sealedDomain(value: unknown): "Q" | "Φ" | undefined {
  return value instanceof Sealed ? Sealed.domainOf(value) : undefined;
}

// ---- host-only construction path (not re-exported by index.ts) ----

/** Host layer: wrap provider state as a Q value. */
export function sealQ<S>(state: S): Q<S> {
  return new Sealed("Q", state) as unknown as Q<S>;
}

/** Host layer: wrap provider state as a Φ value. */
export function sealPhi<S>(state: S): Phi<S> {
  return new Sealed("Φ", state) as unknown as Phi<S>;
}

/** Host layer: the state inside a Q value; a TypeError if handed anything else. */
export function unsealQ<S>(value: Q<S>): S {
  if (!(value instanceof Sealed)) throw new TypeError("not a sealed Q value");
  return Sealed.stateOf(value, "Q") as S;
}

/** Host layer: the state inside a Φ value; a TypeError if handed anything else. */
export function unsealPhi<S>(value: Phi<S>): S {
  if (!(value instanceof Sealed)) throw new TypeError("not a sealed Φ value");
  return Sealed.stateOf(value, "Φ") as S;
}
