/**
 * A seeded pseudo-random generator (mulberry32): fast, 32 bits of state, good enough for game
 * rolls and not for secrets. Its whole state is `state`, a plain number, so an instance's
 * generator can be saved and resumed, and a test replays the same rolls from the same seed.
 */
export interface Rng {
  state: number;
}

/** A generator starting from `seed` (any number; only its low 32 bits count). */
export function createRng(seed: number): Rng {
  return { state: seed >>> 0 };
}

/** A float in [0, 1). */
export function nextFloat(rng: Rng): number {
  rng.state = (rng.state + 0x6d2b79f5) >>> 0;
  let t = rng.state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

/** A whole number in [min, max], both included. */
export function nextInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(nextFloat(rng) * (max - min + 1));
}

/** True with probability `chance`. */
export function chance(rng: Rng, probability: number): boolean {
  return nextFloat(rng) < probability;
}

/** A seed for another generator derived from a string (FNV-1a), e.g. an instance id. */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
