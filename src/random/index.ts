/**
 * Random numbers: the counter-based generator shared with the GPU backend,
 * Keras-style global seeding, and deterministic distribution fills.
 */
export {
  COUNTER_RNG_WGSL,
  UNIFORM01_STEP,
  randomU32,
  randomUniform01,
  randomUniform53,
} from './counter-rng';
export {
  MAX_SEED,
  SeedGenerator,
  checkSeed,
  getGlobalSeed,
  getGlobalSeedGenerator,
  resolveSeed,
  setRandomSeed,
} from './seed';
export {
  fillNormal,
  fillTruncatedNormal,
  fillUniform,
  shuffleIndices,
  type FloatArray,
} from './distributions';
