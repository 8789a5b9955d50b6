/**
 * The activation table: every activation's formula (in the expression language, from src/expr/nn.ts, where
 * each is written once), its parameters, their defaults and rules, and the name aliases. `index.ts`
 * resolves user identifiers against this table; the derivatives come from the autodiff.
 *
 * Defaults follow Keras 3 where Keras has the activation, PyTorch otherwise.
 */
import { invalid, received } from '../errors';
import { unaryOp, type Expr } from '../expr/expr';
import * as nn from '../expr/nn';
import type { ActivationName } from './index';

/** The rule one numeric parameter must satisfy. */
export interface ParamRule {
  /** Value used when the parameter is not given. */
  readonly default: number;
  /** Lower bound (inclusive unless `minOpen`). */
  readonly min?: number;
  /** Make `min` exclusive. */
  readonly minOpen?: boolean;
  /** The value must not be 0 (it divides). */
  readonly nonzero?: boolean;
  /** A 0/1 switch; booleans are accepted and stored as 0/1. */
  readonly flag?: boolean;
  /** `null` (Keras's `None`) is allowed and means "none": stored as `Infinity` (relu's `maxValue`). */
  readonly nullable?: boolean;
}

/**
 * Numeric parameters as run-time scalars (uniforms: one kernel serves every value); flags as booleans;
 * `value` for formulas whose structure depends on whether a parameter is given (relu's three).
 */
export type FormulaParams = {
  readonly scalar: Readonly<Record<string, Expr>>;
  readonly flag: Readonly<Record<string, boolean>>;
  readonly value: Readonly<Record<string, number>>;
};

/** One activation: its formula, its parameters (camelCase keys) and an optional check across parameters. */
export interface ActivationDef {
  /** y = f(x); `p.scalar.alpha` is the run-time scalar of parameter `alpha`. */
  readonly formula: (x: Expr, p: FormulaParams) => Expr;
  /** A hand-written f′(x), only where measurably more accurate than the autodiff's (see its definition). */
  readonly derivative?: (x: Expr, p: FormulaParams) => Expr;
  /** Row-wise (softmax): the backends' softmax skeleton computes it. */
  readonly rowwise?: 'softmax';
  readonly params: Readonly<Record<string, ParamRule>>;
  /** Extra parameter-name synonyms, normalised (lowercase, no underscores) → canonical key. */
  readonly paramAliases?: Readonly<Record<string, string>>;
  /** Check that spans several parameters; `where` is the full location label. */
  readonly check?: (params: Record<string, number>, where: string) => void;
}

const none = (formula: ActivationDef['formula'], extra: Partial<ActivationDef> = {}): ActivationDef => ({ formula, params: {}, ...extra });
// PyTorch calls it lambd, Keras 3 (hard_shrink, soft_shrink) threshold.
const LAMBD = { params: { lambd: { default: 0.5, min: 0 } }, paramAliases: { lambda: 'lambd', threshold: 'lambd' } } as const;

/** Every activation, in the order `activationNames()` lists them. */
export const ACTIVATION_DEFS: Readonly<Record<ActivationName, ActivationDef>> = {
  linear: none((x) => x),
  elu: { formula: (x, p) => nn.elu(x, p.scalar.alpha), params: { alpha: { default: 1 } } },
  hardshrink: { formula: (x, p) => nn.hardShrink(x, p.scalar.lambd), ...LAMBD },
  hardsigmoid: none(nn.hardSigmoid),
  hardtanh: {
    formula: (x, p) => nn.clip(x, p.scalar.minVal, p.scalar.maxVal),
    params: { minVal: { default: -1 }, maxVal: { default: 1 } },
    check: (p, where) => {
      if (!(p.minVal < p.maxVal)) {
        invalid({
          what: 'minVal/maxVal',
          where,
          expected: 'minVal < maxVal',
          received: `${received('minVal', p.minVal)}, ${received('maxVal', p.maxVal)}`,
        });
      }
    },
  },
  leaky_relu: { formula: (x, p) => nn.leakyRelu(x, p.scalar.negativeSlope), params: { negativeSlope: { default: 0.2 } }, paramAliases: { alpha: 'negativeSlope' } },
  log_sigmoid: none((x) => unaryOp('log_sigmoid', x)),
  // Keras 3's relu(x, negative_slope, max_value, threshold): all three, Keras's semantics (nn.ts).
  relu: {
    formula: (x, p) => nn.reluWith(x, p.scalar.negativeSlope, p.scalar.maxValue, p.scalar.threshold, {
      slope: p.value.negativeSlope !== 0, max: p.value.maxValue !== Infinity, threshold: p.value.threshold !== 0,
    }),
    params: { negativeSlope: { default: 0 }, maxValue: { default: Infinity, min: 0, nullable: true }, threshold: { default: 0 } },
  },
  relu6: none(nn.relu6),
  selu: none(nn.selu),
  celu: { formula: (x, p) => nn.celu(x, p.scalar.alpha), params: { alpha: { default: 1, nonzero: true } } },
  sigmoid: none((x) => unaryOp('sigmoid', x)),
  softplus: {
    formula: (x, p) => nn.softplusBeta(x, p.scalar.beta, p.scalar.threshold),
    params: { beta: { default: 1, min: 0, minOpen: true }, threshold: { default: 20 } },
  },
  softshrink: { formula: (x, p) => nn.softShrink(x, p.scalar.lambd), ...LAMBD },
  softsign: none(nn.softsign, { derivative: nn.softsignDerivative }),
  tanh: none((x) => unaryOp('tanh', x)),
  softmax: none((x) => x, { rowwise: 'softmax' }),
  hardswish: none(nn.hardSilu),
  // Keras 3's default is the exact erf form (approximate=False).
  gelu: { formula: (x, p) => nn.gelu(x, p.flag.approximate), params: { approximate: { default: 0, flag: true } } },
  silu: none(nn.silu),
  mish: none(nn.mish),
  tanhshrink: none(nn.tanhShrink),
  // PyTorch's value is Keras 3's default_value (keras.activations.threshold(x, threshold, default_value)).
  threshold: {
    formula: (x, p) => nn.threshold(x, p.scalar.threshold, p.scalar.value),
    params: { threshold: { default: 0 }, value: { default: 0 } },
    paramAliases: { defaultvalue: 'value' },
  },
};

/** Lowercase and drop `_`/`-`, so `leaky_relu`, `leakyRelu` and `LeakyReLU` all become `leakyrelu`. */
export function normalizeKey(s: string): string {
  return s.toLowerCase().replace(/[_-]/g, '');
}

/** Keras's other names for activations. */
export const ACTIVATION_ALIASES = {
  none: 'linear', swish: 'silu', hard_silu: 'hardswish',
  // Keras 3's spellings (the same names once underscores are dropped), so that they type-check too.
  hard_shrink: 'hardshrink', soft_shrink: 'softshrink', hard_sigmoid: 'hardsigmoid', hard_tanh: 'hardtanh', hard_swish: 'hardswish',
  tanh_shrink: 'tanhshrink',
} as const satisfies Record<string, ActivationName>;

/** Normalised name → canonical name: every canonical name plus the aliases. */
export const NAME_LOOKUP: ReadonlyMap<string, ActivationName> = new Map<string, ActivationName>([
  ...(Object.keys(ACTIVATION_DEFS) as ActivationName[]).map((n) => [normalizeKey(n), n] as const),
  ...Object.entries(ACTIVATION_ALIASES).map(([alias, n]) => [normalizeKey(alias), n] as const),
  ['null', 'linear'],
]);

/** Validate one parameter value against its rule; returns the number to store. */
export function checkParam(key: string, value: unknown, rule: ParamRule, where: string): number {
  if (rule.flag) {
    if (value === true || value === 1) return 1;
    if (value === false || value === 0) return 0;
    invalid({ what: key, where, expected: '0 or 1 (or a boolean)', received: received(key, value) });
  }
  if (rule.nullable && (value === null || value === Infinity)) return Infinity;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    invalid({ what: key, where, expected: rule.nullable ? 'a finite number or null' : 'a finite number', received: received(key, value) });
  }
  if (rule.min !== undefined && (rule.minOpen ? !(value > rule.min) : !(value >= rule.min))) {
    const expected = `a finite number ${rule.minOpen ? '>' : '>='} ${rule.min}`;
    invalid({ what: key, where, expected, received: received(key, value) });
  }
  if (rule.nonzero && value === 0) {
    invalid({ what: key, where, expected: 'a nonzero finite number', received: received(key, value) });
  }
  return value;
}

export { editDistance } from '../utils/edit-distance';
