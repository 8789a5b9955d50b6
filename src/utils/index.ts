/** `keras.utils`. */
export { setRandomSeed } from '../random';
