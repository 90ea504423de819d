import { describe, expect, test } from "vitest";
import type { PhiTransformDescriptor, PhiTransformResult } from "#runtime/abi.js";
import { PhiProvider } from "../../src/host/phi/provider.js";
import { SeedKeys } from "../../src/host/random/prng.js";
import { canonicalJson, sha256Hex } from "../../src/host/trace/canonical-json.js";
import { bootedKernel, expectErr, phiSetup, unwrap } from "./helpers.js";

function transforms(seed: bigint, count: number): PhiTransformResult[] {
  const kernel = bootedKernel({ seed });
  const phi = phiSetup(kernel, { offset: 1n, duration: 10_000n, tolerance: 0 });
  unwrap(kernel.waitUntil(phi.start));
  return Array.from({ length: count }, (_, i) => {
    const d: PhiTransformDescriptor = { contract_id: phi.contract, transform_id: (i % 16) + 1, coherence_start: phi.start, duration: phi.duration, stability_tolerance: 0 };
    return unwrap(kernel.xdvCall("K", "Φ", d, phi.cap));
  });
}

describe("Φ transforms inside their window", () => {
  test("results are integer K records with a verifiable stability report", () => {
    const [r] = transforms(3n, 1);
    expect(r).toBeDefined();
    if (!r) return;
    expect(Object.keys(r).sort()).toEqual(["coherence_index", "dominant_mode", "envelope_id", "logical_ts", "stability", "status", "transform_id"]);
    expect(r.status).toBe("STABLE");
    expect(Number.isInteger(r.dominant_mode) && r.dominant_mode >= 0 && r.dominant_mode < 8).toBe(true);
    expect(Number.isInteger(r.coherence_index) && r.coherence_index >= 0 && r.coherence_index <= 10000).toBe(true);
    const { integrity_checksum, ...body } = r.stability;
    expect(integrity_checksum).toBe(sha256Hex(canonicalJson(body)));
    expect(r.stability.logical_ts).toBe(r.logical_ts - 1n);
  });

  test("readings stay in the declared stability range and drift downward through the window", () => {
    const keys = new SeedKeys(11n);
    const provider = new PhiProvider(keys);
    const [floor, ceiling] = provider.capabilities().stability_range as [number, number];
    let early = 0;
    let late = 0;
    for (let e = 1n; e <= 40n; e++) {
      provider.open(e);
      const window = { envelope_id: e, window_start: 0n, window_duration: 1000n };
      const a = provider.probe(window, 0n);
      const b = provider.probe(window, 1000n);
      for (const r of [a, b]) expect(r.stability_level >= floor && r.stability_level <= ceiling).toBe(true);
      early += a.stability_level;
      late += b.stability_level;
      provider.close(e);
    }
    // Drift at the end of the window is 1500 bp; noise averages out over 40 envelopes.
    expect((early - late) / 40).toBeGreaterThan(1000);
  });

  test("the same seed gives the same readings and projections; another seed does not", () => {
    const a = transforms(21n, 12);
    expect(transforms(21n, 12)).toEqual(a);
    const b = transforms(22n, 12);
    expect(b.map((r) => r.stability.stability_level)).not.toEqual(a.map((r) => r.stability.stability_level));
  });

  test("the stricter of the contract's and the descriptor's tolerance applies", () => {
    const kernel = bootedKernel();
    const phi = phiSetup(kernel, { offset: 1n, tolerance: 10000 });
    unwrap(kernel.waitUntil(phi.start));
    const d: PhiTransformDescriptor = { contract_id: phi.contract, transform_id: 1, coherence_start: phi.start, duration: phi.duration, stability_tolerance: 0 };
    const r = kernel.xdvCall("K", "Φ", d, phi.cap);
    expectErr(r, "COHERENCE_VIOLATION", "stability-breach");
    if (!r.ok) expect(r.fault.details["tolerance"]).toBe(10000);
  });

  test("a released envelope accepts no more transforms", () => {
    const kernel = bootedKernel();
    const phi = phiSetup(kernel, { offset: 1n, tolerance: 0 });
    unwrap(kernel.waitUntil(phi.start));
    const d: PhiTransformDescriptor = { contract_id: phi.contract, transform_id: 2, coherence_start: phi.start, duration: phi.duration, stability_tolerance: 0 };
    unwrap(kernel.xdvCall("K", "Φ", d, phi.cap));
    unwrap(kernel.releaseContract(phi.contract));
    expectErr(kernel.xdvCall("K", "Φ", d, phi.cap), "CONTRACT_INVALID", "contract-released");
    // Releasing frees the window for a new envelope.
    unwrap(kernel.acquirePhiContract({ capability: phi.cap, window_start: kernel.now() + 1n, window_duration: 10n, stability_tolerance: 0, transform_budget: 1n }));
  });
});

describe("coherence window contracts", () => {
  test("a window that starts in the past or outlasts the provider is refused", () => {
    const kernel = bootedKernel();
    const cap = unwrap(kernel.requestCapability("Φ")).raw_id;
    unwrap(kernel.waitUntil(100n));
    expectErr(kernel.acquirePhiContract({ capability: cap, window_start: 50n, window_duration: 10n, stability_tolerance: 0, transform_budget: 1n }), "CONTRACT_INVALID", "window-invalid");
    expectErr(kernel.acquirePhiContract({ capability: cap, window_start: 200n, window_duration: 2_000_000n, stability_tolerance: 0, transform_budget: 1n }), "RESOURCE_EXHAUSTED", "provider-capacity");
    expectErr(kernel.acquirePhiContract({ capability: cap, window_start: 200n, window_duration: 10n, stability_tolerance: 10001, transform_budget: 1n }), "DOMAIN_PANIC", "descriptor-malformed");
  });

  test("the envelope's phase state never leaves the provider", () => {
    const provider = new PhiProvider(new SeedKeys(1n));
    provider.open(1n);
    expect(JSON.stringify(provider, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toMatch(/\d\.\d/);
    expect(Object.keys(provider)).toEqual(["config"]);
    const projection = provider.transform(1n, 3, { stability_level: 9000, noise_index: 100 });
    expect(Object.keys(projection).sort()).toEqual(["coherence_index", "dominant_mode"]);
  });
});
