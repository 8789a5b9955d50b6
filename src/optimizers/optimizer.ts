/**
 * The optimizer base class, a template method in the Keras manner: the base does the learning rate (a
 * number or a per-step schedule), the iteration count, clipping and weight decay once; each optimizer
 * names its backend kind, its hyper-parameters and its slots. The update itself is one fused backend call
 * over all parameters.
 */
import { optimizerSlotNames, type Backend, type OptimizerKind } from '../backend/backend';
import { checkNumberInRange, invalid, received } from '../errors';
import { checkOptions } from '../utils/options';
import type { Tensor } from '../tensor/tensor';
import type { Variable } from '../layers/variable';

/** A learning rate that changes with the step (Keras `LearningRateSchedule`). */
export interface LearningRateSchedule {
  /** The learning rate for 0-based optimizer step `step`. */
  call(step: number): number;
  getConfig?(): Record<string, unknown>;
}

/** Options every optimizer accepts (Keras names, camelCase). */
export interface OptimizerArgs {
  /** A number or a schedule. */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay (`w -= lr·weightDecay·w` each step), default 0 (AdamW: 0.004). */
  weightDecay?: number;
  /** Clip each gradient tensor to this L2 norm. */
  clipnorm?: number;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm?: number;
  name?: string;
}

/** Options of Keras's base optimizer that this library does not implement yet. */
const OPTIMIZER_NOT_IMPLEMENTED: Record<string, string> = {
  useEma: '',
  emaMomentum: '',
  emaOverwriteFrequency: '',
  gradientAccumulationSteps: 'use a larger batchSize instead',
  lossScaleFactor: 'training runs in float32, without loss scaling',
  excludeFromWeightDecay: '',
};

const BASE_OPTIONS = ['learningRate', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm', 'name'];

function isSchedule(value: unknown): value is LearningRateSchedule {
  return typeof value === 'object' && value !== null && typeof (value as LearningRateSchedule).call === 'function';
}

/**
 * An optimizer's constructor argument: an options object, or (Keras's first positional argument) the
 * learning rate, a number or a schedule: `new SGD(0.1)` is `new SGD({ learningRate: 0.1 })`. Options are
 * checked against the base's and `known`.
 */
export function optimizerOptions<T extends OptimizerArgs>(args: T | number | LearningRateSchedule | undefined, where: string, known: readonly string[]): T {
  if (typeof args === 'number' || isSchedule(args)) return { learningRate: args } as T;
  return checkOptions(args as T | undefined, where, { known: [...BASE_OPTIONS, ...known], notImplemented: OPTIMIZER_NOT_IMPLEMENTED });
}

export abstract class Optimizer {
  /** The backend's name for this optimizer's update rule. */
  abstract readonly kind: OptimizerKind;
  readonly name: string;
  /** Number of steps applied so far. */
  iterations = 0;
  weightDecay: number;
  readonly clipnorm: number;
  readonly clipvalue: number;
  readonly globalClipnorm: number;
  private lr: number | LearningRateSchedule;
  private slots: Tensor[][] = [];
  private slotOwner: Variable[] = [];

  /** @param args Checked by the subclass with {@link optimizerOptions}. */
  constructor(args: OptimizerArgs, defaults: { learningRate: number; name: string; weightDecay?: number }) {
    if (args.name !== undefined && typeof args.name !== 'string') invalid({ what: 'name', where: defaults.name, expected: 'a string', received: received('name', args.name) });
    this.name = args.name ?? defaults.name;
    this.lr = args.learningRate ?? defaults.learningRate;
    if (typeof this.lr === 'number') checkNumberInRange(this.lr, 'learningRate', this.name, 0, Infinity);
    else if (!this.lr || typeof this.lr.call !== 'function') {
      invalid({ what: 'learningRate', where: this.name, expected: 'a non-negative number or a schedule with call(step)', received: received('learningRate', this.lr) });
    }
    this.weightDecay = checkNumberInRange(args.weightDecay ?? defaults.weightDecay ?? 0, 'weightDecay', this.name, 0, Infinity);
    this.clipnorm = checkNumberInRange(args.clipnorm ?? 0, 'clipnorm', this.name, 0, Infinity);
    this.clipvalue = checkNumberInRange(args.clipvalue ?? 0, 'clipvalue', this.name, 0, Infinity);
    this.globalClipnorm = checkNumberInRange(args.globalClipnorm ?? 0, 'globalClipnorm', this.name, 0, Infinity);
    if ([this.clipnorm, this.clipvalue, this.globalClipnorm].filter((c) => c > 0).length > 1) {
      invalid({
        what: 'clipping',
        where: this.name,
        expected: 'at most one of clipnorm, clipvalue and globalClipnorm',
        received: `clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm}`,
      });
    }
  }

  /** Optimizer-specific numbers passed to the backend (beta1, rho, momentum, …). */
  protected abstract hyper(): Record<string, number>;

  /** Initial value of a slot (Adagrad starts its accumulator at 0.1). */
  protected slotInitialValue(_slot: string): number {
    return 0;
  }

  /** The learning rate of the next step (schedules evaluated at `iterations`). */
  get learningRate(): number {
    return typeof this.lr === 'number' ? this.lr : this.lr.call(this.iterations);
  }

  /** Set a new constant learning rate (callbacks use this); replaces a schedule. */
  set learningRate(value: number) {
    checkNumberInRange(value, 'learningRate', this.name, 0, Infinity);
    this.lr = value;
  }

  /** The configured learning rate: a number or the schedule object. */
  get learningRateSchedule(): number | LearningRateSchedule {
    return this.lr;
  }

  /** Create slot tensors for these variables (done once, on the first step). */
  build(variables: Variable[], backend: Backend): void {
    this.disposeSlots();
    const names = optimizerSlotNames(this.kind, this.hyper());
    this.slotOwner = [...variables];
    this.slots = variables.map((v) =>
      names.map((slot) => {
        const t = backend.alloc(v.shape, v.value.dtype);
        const init = this.slotInitialValue(slot);
        if (init !== 0) backend.fill(t, init);
        return t;
      }),
    );
  }

  /** Apply one step to the variables' values from their `grad` tensors. */
  apply(variables: Variable[], backend: Backend): void {
    const stale = variables.length !== this.slotOwner.length || variables.some((v, i) => v !== this.slotOwner[i]);
    if (stale) this.build(variables, backend);
    backend.optimizerUpdate(
      this.kind,
      variables.map((v) => v.value),
      variables.map((v) => v.grad!),
      this.slots,
      {
        learningRate: this.learningRate,
        iteration: this.iterations,
        weightDecay: this.weightDecay,
        clipnorm: this.clipnorm,
        clipvalue: this.clipvalue,
        globalClipnorm: this.globalClipnorm,
        hyper: this.hyper(),
      },
    );
    this.iterations++;
  }

  /** @internal Slot tensors per variable (for save/load and tests). */
  get slotTensors(): Tensor[][] {
    return this.slots;
  }

  /** @internal Move slots to another backend, keeping their values. */
  async moveTo(backend: Backend): Promise<void> {
    for (const row of this.slots) {
      for (let i = 0; i < row.length; i++) {
        const moved = backend.upload(await row[i].data(), row[i].shape, row[i].dtype);
        row[i].dispose();
        row[i] = moved;
      }
    }
  }

  /** Release slot tensors. */
  disposeSlots(): void {
    for (const row of this.slots) for (const t of row) t.dispose();
    this.slots = [];
    this.slotOwner = [];
  }

  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learningRate: typeof this.lr === 'number' ? this.lr : (this.lr.getConfig?.() ?? 'schedule'),
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm || null,
      clipvalue: this.clipvalue || null,
      globalClipnorm: this.globalClipnorm || null,
      ...this.hyper(),
    };
  }
}
