/** `keras.utils`: seeding and data helpers. */
export { setRandomSeed } from '../random';
export { shuffleIndices } from '../random';
