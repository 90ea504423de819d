/**
 * The embedded Φ-hardware provider (XDV-061).
 *
 * An envelope is a bank of coupled phase oscillators whose phases exist only in this
 * module's private map. A transform rotates and couples them (a Kuramoto step) and perturbs
 * them with seeded noise; what leaves the provider is a classical projection in integers:
 * the mode most aligned with the mean field, and the order parameter |Σ e^{iφ}|/m in basis
 * points. Stability is modelled as drift that grows through the coherence window plus seeded
 * noise, also in basis points, and never reaches 10000 (perfect) because noise is at least 1.
 *
 * Everything random is drawn from streams keyed by the run seed and the envelope id, so a
 * seed fixes every reading; replay never calls in here, it feeds the recorded readings back.
 */
import { Xoshiro128StarStar, type SeedKeys } from "../random/prng.js";

export interface PhiProviderConfig {
  readonly providerId: string;
  /** Longest coherence window a contract may reserve, in logical ticks. */
  readonly maxCoherenceDuration: bigint;
  /** Transform ids the hardware implements. */
  readonly supportedTransforms: readonly number[];
  /** Stability lost by the end of a window, basis points. */
  readonly driftMax: number;
  /** Largest noise contribution, basis points (noise is 1..noiseCeiling). */
  readonly noiseCeiling: number;
  readonly modes: number;
}

export const DEFAULT_PHI_CONFIG: PhiProviderConfig = {
  providerId: "embedded-oscillator-bank",
  maxCoherenceDuration: 1_000_000n,
  supportedTransforms: Array.from({ length: 16 }, (_, i) => i + 1),
  driftMax: 1500,
  noiseCeiling: 800,
  modes: 8,
};

export interface PhiProviderCapabilities {
  readonly provider_id: string;
  readonly max_coherence_duration: bigint;
  readonly supported_transforms: readonly number[];
  readonly stability_range: readonly number[];
  readonly envelope_modes: number;
}

export interface PhiReading {
  readonly stability_level: number;
  readonly noise_index: number;
}

export interface PhiProjection {
  readonly dominant_mode: number;
  readonly coherence_index: number;
}

export interface EnvelopeWindow {
  readonly envelope_id: bigint;
  readonly window_start: bigint;
  readonly window_duration: bigint;
}

/**
 * The three stream seeds of one envelope. An envelope served by another node is opened there
 * from these (derived here from the run seed), so its readings are the embedded ones.
 */
export interface EnvelopeSeeds {
  readonly init: bigint;
  readonly noise: bigint;
  readonly stability: bigint;
}

export function envelopeSeeds(keys: SeedKeys, envelopeId: bigint): EnvelopeSeeds {
  return {
    init: keys.u64("phi-envelope-init", envelopeId),
    noise: keys.u64("phi-envelope-noise", envelopeId),
    stability: keys.u64("phi-envelope-stability", envelopeId),
  };
}

interface EnvelopeState {
  readonly phases: Float64Array;
  readonly noise: Xoshiro128StarStar;
  readonly stability: Xoshiro128StarStar;
}

export class PhiProvider {
  readonly config: PhiProviderConfig;
  /** Null on a node that only serves envelopes opened with seeds from their callers. */
  readonly #keys: SeedKeys | null;
  readonly #envelopes = new Map<bigint, EnvelopeState>();

  constructor(keys: SeedKeys | null, config: Partial<PhiProviderConfig> = {}) {
    this.#keys = keys;
    this.config = { ...DEFAULT_PHI_CONFIG, ...config };
  }

  capabilities(): PhiProviderCapabilities {
    const floor = Math.max(0, 10000 - this.config.driftMax - this.config.noiseCeiling);
    return {
      provider_id: this.config.providerId,
      max_coherence_duration: this.config.maxCoherenceDuration,
      supported_transforms: [...this.config.supportedTransforms],
      stability_range: [floor, 9999],
      envelope_modes: this.config.modes,
    };
  }

  supports(transformId: number): boolean {
    return this.config.supportedTransforms.includes(transformId);
  }

  open(envelopeId: bigint): void {
    if (!this.#keys) throw new Error("this Φ provider opens envelopes only from their callers' seeds");
    this.openSeeded(envelopeId, envelopeSeeds(this.#keys, envelopeId));
  }

  openSeeded(envelopeId: bigint, seeds: EnvelopeSeeds): void {
    const init = new Xoshiro128StarStar(seeds.init);
    const phases = new Float64Array(this.config.modes);
    // Envelopes start nearly aligned: phases spread over a quarter turn.
    for (let k = 0; k < phases.length; k++) phases[k] = init.nextDouble() * (Math.PI / 2);
    this.#envelopes.set(envelopeId, {
      phases,
      noise: new Xoshiro128StarStar(seeds.noise),
      stability: new Xoshiro128StarStar(seeds.stability),
    });
  }

  /** Discards the envelope's phase state: invalidation and release both end here. */
  close(envelopeId: bigint): void {
    this.#envelopes.delete(envelopeId);
  }

  /** One stability reading at logical time `at`. */
  probe(window: EnvelopeWindow, at: bigint): PhiReading {
    const state = this.#require(window.envelope_id);
    const elapsed = at < window.window_start ? 0n : at - window.window_start;
    const span = window.window_duration > 0n ? window.window_duration : 1n;
    const clamped = elapsed > span ? span : elapsed;
    const drift = Number((BigInt(this.config.driftMax) * clamped) / span);
    const noise = 1 + state.stability.nextBelow(Math.max(1, this.config.noiseCeiling));
    return { stability_level: Math.max(0, 10000 - drift - noise), noise_index: noise };
  }

  /** Applies transform `transformId` under the measured noise and projects the result. */
  transform(envelopeId: bigint, transformId: number, reading: PhiReading): PhiProjection {
    const state = this.#require(envelopeId);
    const phases = state.phases;
    const m = phases.length;
    const twoPi = 2 * Math.PI;
    for (let k = 0; k < m; k++) phases[k] = (phases[k] as number) + (twoPi * transformId * (k + 1)) / 64;
    const coupling = 0.5 + (transformId % 4) * 0.25;
    const before = Float64Array.from(phases);
    for (let k = 0; k < m; k++) {
      let pull = 0;
      for (let j = 0; j < m; j++) pull += Math.sin((before[j] as number) - (before[k] as number));
      phases[k] = (phases[k] as number) + (coupling * pull) / m;
    }
    const amplitude = (reading.noise_index / 10000) * Math.PI;
    for (let k = 0; k < m; k++) phases[k] = ((phases[k] as number) + amplitude * (state.noise.nextDouble() - 0.5)) % twoPi;
    return project(phases);
  }

  #require(envelopeId: bigint): EnvelopeState {
    const state = this.#envelopes.get(envelopeId);
    if (!state) throw new Error(`Φ envelope ${envelopeId} is not open in the provider`);
    return state;
  }
}

function project(phases: Float64Array): PhiProjection {
  let sx = 0;
  let sy = 0;
  for (const p of phases) {
    sx += Math.cos(p);
    sy += Math.sin(p);
  }
  const m = phases.length;
  const order = Math.hypot(sx, sy) / m;
  const mean = Math.atan2(sy, sx);
  let best = 0;
  let bestAlign = -Infinity;
  phases.forEach((p, k) => {
    const align = Math.cos(p - mean);
    if (align > bestAlign) {
      bestAlign = align;
      best = k;
    }
  });
  return { dominant_mode: best, coherence_index: Math.min(10000, Math.round(order * 10000)) };
}
