/** Deterministic initializers: `Zeros`, `Ones`, `Constant`. They consume no seeds. */
import { BaseInitializer, checkOptions, numberOption } from './base';

/** All zeros (Keras `Zeros`, identifier `'zeros'`). No options. */
export class Zeros extends BaseInitializer {
  static override readonly className: string = 'Zeros';

  /** @param options None are accepted; present only for `{ className, config }` symmetry. */
  constructor(options?: Record<string, never>) {
    super();
    checkOptions(options, [], 'Zeros');
  }

  getConfig(): Record<string, unknown> {
    return {};
  }

  protected fill(): void {
    // `allocate` already zero-filled the array.
  }
}

/** All ones (Keras `Ones`, identifier `'ones'`). No options. */
export class Ones extends BaseInitializer {
  static override readonly className: string = 'Ones';

  /** @param options None are accepted; present only for `{ className, config }` symmetry. */
  constructor(options?: Record<string, never>) {
    super();
    checkOptions(options, [], 'Ones');
  }

  getConfig(): Record<string, unknown> {
    return {};
  }

  protected fill(out: Float32Array | Float64Array): void {
    out.fill(1);
  }
}

/** Options of {@link Constant}. */
export interface ConstantOptions {
  /** The fill value, a finite number. Default `0`. */
  value?: number;
}

/** Every element equal to `value` (Keras `Constant`, identifier `'constant'`). */
export class Constant extends BaseInitializer {
  static override readonly className: string = 'Constant';
  /** The fill value. */
  readonly value: number;

  /** @param options `{ value = 0 }`. */
  constructor(options: ConstantOptions = {}) {
    super();
    const o = checkOptions(options, ['value'], 'Constant');
    this.value = numberOption(o.value, 0, 'value', 'Constant');
  }

  getConfig(): Record<string, unknown> {
    return { value: this.value };
  }

  protected fill(out: Float32Array | Float64Array): void {
    out.fill(this.value);
  }
}
