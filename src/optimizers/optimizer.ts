/**
 * The optimizer base class, a template method in the Keras manner: the base does the learning rate (a
 * number or a per-step schedule), the iteration count, clipping and weight decay once; each optimizer
 * names its slots (`slotNames`) and writes its rule (`updateStep`) with `keras.ops`, on symbolic values,
 * as Keras 3's optimizers do. The rule is traced once into an expression (the base adds clipping and
 * decoupled weight decay around it) and the backend runs it as one fused update over all parameters.
 *
 * A custom optimizer is a subclass with the same two methods; everything the base does applies to it
 * exactly as to the built-ins:
 *
 *   class Lion extends keras.optimizers.Optimizer {
 *     slotNames() { return ['momentum']; }
 *     updateStep({ gradient, variable, momentum }, learningRate) { … return { variable: …, momentum: … }; }
 *   }
 */
import type { Backend } from '../backend/backend';
import { checkNumberInRange, describe, invalid, received } from '../errors';
import { checkOptions } from '../utils/options';
import { Expr, binaryOp, input, scalar, type ExprLike } from '../expr/expr';
import { CLIP_SCALE, checkElementwise, type UpdateRule } from '../expr/functions';
import { traceCall, tracedValue } from '../expr/keras-ops';
import { clip } from '../expr/nn';
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
  /** A number or a schedule (default 0.001; each built-in has Keras's own default). */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay (`w -= lr·weightDecay·w` each step), default 0 (AdamW: 0.004). */
  weightDecay?: number;
  /** Clip each gradient tensor to this L2 norm. */
  clipnorm?: number;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm?: number;
  /** Name (default: the class's). */
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

/** What `updateStep` receives: the (clipped) gradient, the (decayed) variable and each slot, symbolic. */
export type UpdateValues = { gradient: Expr; variable: Expr } & Record<string, Expr>;
/** What `updateStep` returns: the new variable and the new value of each slot it changes. */
export type UpdateResult = { variable: ExprLike } & Record<string, ExprLike>;

/** Names the run-time scalars of a rule have (values given each step, so schedules never recompile). */
export const STEP_SCALARS = { learningRate: 'learning_rate', iteration: 'iteration', weightDecay: 'weight_decay', clipvalue: 'clipvalue' } as const;
/** At most this many slots (WebGPU binds the variable, its gradient, the clip factors and the slots: 8 buffers). */
export const MAX_SLOTS = 5;
const RESERVED = new Set(['variable', 'gradient', 'iteration', CLIP_SCALE]);

export abstract class Optimizer {
  /** Keras class name; spelled out in each subclass so it survives minification. */
  static readonly className: string = 'Optimizer';
  /** The built-in's identifier (`'adam'`), or `'custom'`. */
  readonly kind: string = 'custom';
  readonly name: string;
  weightDecay: number;
  readonly clipnorm: number;
  readonly clipvalue: number;
  readonly globalClipnorm: number;
  private lr: number | LearningRateSchedule;
  private steps = 0;
  /** The symbolic step count while `updateStep` is traced (what `this.iterations` returns then). */
  private tracingIteration: Expr | null = null;
  private slots: Tensor[][] = [];
  private slotOwner: Variable[] = [];
  private traced: { key: string; rule: UpdateRule } | null = null;
  private readonly baseKeys: ReadonlySet<string>;

  /**
   * @param args The options every optimizer takes (see {@link OptimizerArgs}); a custom subclass passes
   *   them here and they are checked (unknown names refused), a built-in checks its own with
   *   {@link optimizerOptions} first.
   * @param defaults A built-in's defaults (learning rate, name, weight decay).
   */
  constructor(args: OptimizerArgs = {}, defaults?: { learningRate?: number; name?: string; weightDecay?: number }) {
    const own = (new.target as unknown as typeof Optimizer).className;
    const label = defaults?.name ?? (own !== 'Optimizer' ? own : new.target.name || 'Optimizer');
    // A built-in checks its own options (with its hyper-parameters); a custom subclass passes the base's here.
    if (!defaults) args = optimizerOptions(args, label, []);
    defaults ??= {};
    if (args.name !== undefined && typeof args.name !== 'string') invalid({ what: 'name', where: label, expected: 'a string', received: received('name', args.name) });
    this.name = args.name ?? label;
    this.lr = args.learningRate ?? defaults.learningRate ?? 0.001;
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
    this.baseKeys = new Set([...Object.keys(this), 'baseKeys', 'kind']);
  }

  /** The names of the state tensors kept per variable, in order (Adam: `['momentum', 'velocity']`). */
  slotNames(): string[] {
    return [];
  }

  /**
   * One step for one element, on symbolic values (`keras.ops`): from the gradient (already clipped), the
   * variable (already decayed) and each slot, return the new variable and the new value of each slot it
   * changes. `learningRate` is this step's rate; `this.iterations` is the 0-based step count. Called once,
   * to trace the rule.
   */
  updateStep(_values: UpdateValues, _learningRate: Expr): UpdateResult {
    return invalid({
      what: 'optimizer',
      where: this.name,
      expected: 'a subclass of keras.optimizers.Optimizer with updateStep({ gradient, variable, ...slots }, learningRate)',
      received: 'an optimizer without updateStep',
      hint: 'see the Lion example in the README: slotNames() and updateStep() written with keras.ops.',
    });
  }

  /** Optimizer-specific numbers for the config (beta1, rho, momentum, …); built-ins override it. */
  protected hyper(): Record<string, number | boolean> {
    return {};
  }

  /** Initial value of a slot (Adagrad starts its accumulator at 0.1). */
  protected slotInitialValue(_slot: string): number {
    return 0;
  }

  /** Number of steps applied so far; inside `updateStep` (while it is traced), the symbolic step count. */
  get iterations(): number {
    return (this.tracingIteration as unknown as number) ?? this.steps;
  }

  set iterations(value: number) {
    this.steps = value;
  }

  /** The learning rate of the next step (schedules evaluated at `iterations`). */
  get learningRate(): number {
    return typeof this.lr === 'number' ? this.lr : this.lr.call(this.steps);
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

  /**
   * The rule the backend runs: clip the gradient (by its tensor's factor for clipnorm/globalClipnorm, then
   * to ±clipvalue), decay the variable (`w − lr·weightDecay·w`), then `updateStep`. Traced once per
   * configuration (weight decay may change between steps).
   */
  rule(): UpdateRule {
    const clipsByNorm = this.clipnorm > 0 || this.globalClipnorm > 0;
    const key = `${this.weightDecay > 0}|${this.clipvalue > 0}|${clipsByNorm}`;
    if (this.traced?.key === key) return this.traced.rule;
    const slots = this.checkedSlotNames();
    const lr = scalar(STEP_SCALARS.learningRate);
    let gradient = input('gradient');
    if (clipsByNorm) gradient = binaryOp('mul', gradient, scalar(CLIP_SCALE));
    if (this.clipvalue > 0) {
      const cv = scalar(STEP_SCALARS.clipvalue);
      gradient = clip(gradient, binaryOp('sub', 0, cv), cv);
    }
    let variable = input('variable');
    if (this.weightDecay > 0) variable = binaryOp('sub', variable, binaryOp('mul', variable, binaryOp('mul', lr, scalar(STEP_SCALARS.weightDecay))));
    const outputs = this.traceUpdate(slots, gradient, variable);
    const rule: UpdateRule = Object.freeze({ name: this.name, slots, outputs, clipsByNorm });
    this.traced = { key, rule };
    return rule;
  }

  /**
   * @internal `updateStep` alone, traced on plain inputs (no clipping or decay around it): the new variable
   * and each slot, what a model saved with `includeExpressions` stores. Slot initial values alongside.
   */
  updateExpressions(): { slots: string[]; outputs: Expr[]; initialValues: number[] } {
    const slots = this.checkedSlotNames();
    return { slots, outputs: this.traceUpdate(slots, input('gradient'), input('variable')), initialValues: slots.map((s) => this.slotInitialValue(s)) };
  }

  private traceUpdate(slots: string[], gradient: Expr, variable: Expr): Expr[] {
    const values = { gradient, variable, ...Object.fromEntries(slots.map((s) => [s, input(s)])) } as UpdateValues;
    const where = `${this.name}.updateStep`;
    this.tracingIteration = scalar(STEP_SCALARS.iteration);
    let result: unknown;
    try {
      result = traceCall('optimizer rule', where, () => this.updateStep(values, scalar(STEP_SCALARS.learningRate)));
    } finally {
      this.tracingIteration = null;
    }
    return this.checkedResult(result, slots, where);
  }

  private checkedSlotNames(): string[] {
    const slots = this.slotNames();
    const where = `${this.name}.slotNames`;
    if (!Array.isArray(slots) || slots.length > MAX_SLOTS || new Set(slots).size !== slots.length) {
      invalid({ what: 'slot names', where, expected: `an array of at most ${MAX_SLOTS} distinct names`, received: describe(slots) });
    }
    for (const s of slots) {
      if (typeof s !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) || RESERVED.has(s)) {
        invalid({ what: 'slot name', where, expected: `an identifier other than ${[...RESERVED].join(', ')}`, received: describe(s) });
      }
    }
    return slots;
  }

  private checkedResult(result: unknown, slots: string[], where: string): Expr[] {
    if (typeof result !== 'object' || result === null || Array.isArray(result)) {
      invalid({ what: 'result', where, expected: `an object { variable${slots.map((s) => `, ${s}`).join('')} } of keras.ops values`, received: describe(result) });
    }
    const r = result as Record<string, unknown>;
    const unknown = Object.keys(r).filter((k) => k !== 'variable' && !slots.includes(k));
    if (unknown.length > 0 || !('variable' in r)) {
      invalid({
        what: 'result',
        where,
        expected: `keys among variable (required)${slots.map((s) => `, ${s}`).join('')}`,
        received: `keys ${Object.keys(r).join(', ') || '(none)'}`,
        hint: unknown.length ? `a slot must be listed by slotNames() to be kept: add ${unknown.map((k) => `'${k}'`).join(', ')} there.` : undefined,
      });
    }
    const allowed = ['variable', 'gradient', ...slots];
    return ['variable', ...slots].map((k) => {
      const e = k in r ? tracedValue(r[k], `result.${k}`, where) : input(k);
      checkElementwise(e, allowed, where);
      return e;
    });
  }

  /** Create slot tensors for these variables (done once, on the first step). */
  build(variables: Variable[], backend: Backend): void {
    this.disposeSlots();
    const names = this.checkedSlotNames();
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
      this.rule(),
      variables.map((v) => v.value),
      variables.map((v) => v.grad!),
      this.slots,
      {
        scalars: {
          [STEP_SCALARS.learningRate]: this.learningRate,
          [STEP_SCALARS.iteration]: this.steps,
          [STEP_SCALARS.weightDecay]: this.weightDecay,
          [STEP_SCALARS.clipvalue]: this.clipvalue,
        },
        clipnorm: this.clipnorm,
        globalClipnorm: this.globalClipnorm,
      },
    );
    this.steps++;
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

  /**
   * Every constructor argument. A subclass that does not override `hyper` has its own number, boolean and
   * string fields saved (Lion's `beta1`, `beta2`), so `new Cls(config)` rebuilds it.
   */
  getConfig(): Record<string, unknown> {
    const own: Record<string, unknown> = {};
    if (this.hyper === Optimizer.prototype.hyper) {
      for (const [k, v] of Object.entries(this)) {
        if (!this.baseKeys.has(k) && (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string')) own[k] = v;
      }
    }
    return {
      name: this.name,
      learningRate: typeof this.lr === 'number' ? this.lr : (this.lr.getConfig?.() ?? 'schedule'),
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm || null,
      clipvalue: this.clipvalue || null,
      globalClipnorm: this.globalClipnorm || null,
      ...own,
      ...this.hyper(),
    };
  }
}
