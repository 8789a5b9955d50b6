/** Global settings, as `keras.config`. */
import { invalid, received } from './errors';
import type { FloatDType } from './backend/backend';

let floatx: FloatDType = 'float32';

/** The float dtype new weights and data are created in (`'float32'`, default, or `'float64'`). */
export function getFloatx(): FloatDType {
  return floatx;
}

/** Set the default float dtype; `'float64'` runs on the CPU backend only (used for gradient checks). */
export function setFloatx(dtype: FloatDType): void {
  if (dtype !== 'float32' && dtype !== 'float64') {
    invalid({ what: 'dtype', where: 'setFloatx', expected: "'float32' or 'float64'", received: received('dtype', dtype) });
  }
  floatx = dtype;
}
