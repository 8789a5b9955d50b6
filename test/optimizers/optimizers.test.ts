/**
 * Optimizers on the CPU backend in float64, against Keras 3's update rules written out again here.
 *
 * One-step tests start from a known slot state (written into the slots after `build`), so a single step
 * exercises every term of the rule; the expected values are the rule's arithmetic spelled out inline.
 * Golden-sequence tests drive five steps with fixed gradients and compare against scalar
 * re-implementations. Library and test may order float64 operations differently, so values are compared
 * to 1e-12 relative (plus 1e-12 absolute for values near zero).
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend';
import { UnknownIdentifierError, ValueError } from '../../src/errors';
import { Variable } from '../../src/layers/variable';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  Optimizer,
  RMSprop,
  SGD,
  getOptimizer,
} from '../../src/optimizers';

const backend = new CpuBackend();
const TOL = 1e-12;

/** A trainable float64 vector variable with the given value and gradient. */
function variable(value: number[], grad: number[], name = 'w'): Variable {
  return new Variable(
    name,
    backend.upload(value, [value.length], 'float64'),
    backend.upload(grad, [grad.length], 'float64'),
    true,
  );
}

function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    expect(error, `element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i])));
  }
}

/** Build the optimizer's slots for `vars`, then overwrite them: `state[variable][slot]` in slot order. */
function seedSlots(optimizer: Optimizer, vars: Variable[], state: number[][][]): void {
  optimizer.build(vars, backend);
  state.forEach((slots, i) => slots.forEach((values, j) => backend.write(optimizer.slotTensors[i][j], values)));
}

async function slot(optimizer: Optimizer, variableIndex: number, slotIndex: number): Promise<ArrayLike<number>> {
  return optimizer.slotTensors[variableIndex][slotIndex].data();
}

/** Expect `fn` to throw a ValueError whose message is exactly `message`. */
function expectValueError(fn: () => unknown, message: string): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ValueError);
  expect((caught as Error).message).toBe(message);
}

// Every one-step test below uses w = [1, −2] and g = [0.5, −1].
const W = [1, -2];
const G = [0.5, -1];

describe('one step of each optimizer', () => {
  it('SGD subtracts the learning rate times the gradient', async () => {
    const v = variable(W, G);
    new SGD({ learningRate: 0.1 }).apply([v], backend);
    // w − lr·g = [1 − 0.1·0.5, −2 − 0.1·(−1)]
    expectAllClose(await v.value.data(), [0.95, -1.9]);
  });

  it('SGD with momentum moves by the new momentum m = μ·m − lr·g', async () => {
    const v = variable(W, G);
    const sgd = new SGD({ learningRate: 0.1, momentum: 0.9 });
    seedSlots(sgd, [v], [[[0.2, -0.3]]]);
    sgd.apply([v], backend);
    // m = [0.9·0.2 − 0.1·0.5, 0.9·(−0.3) − 0.1·(−1)] = [0.13, −0.17]; w + m = [1.13, −2.17]
    expectAllClose(await v.value.data(), [1.13, -2.17]);
    expectAllClose(await slot(sgd, 0, 0), [0.13, -0.17]);
  });

  it('SGD with Nesterov momentum moves by μ·m − lr·g with the new m', async () => {
    const v = variable(W, G);
    const sgd = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
    seedSlots(sgd, [v], [[[0.2, -0.3]]]);
    sgd.apply([v], backend);
    // m = [0.13, −0.17] as above; w += μ·m − lr·g = [0.9·0.13 − 0.05, 0.9·(−0.17) + 0.1] = [0.067, −0.053]
    expectAllClose(await v.value.data(), [1.067, -2.053]);
    expectAllClose(await slot(sgd, 0, 0), [0.13, -0.17]);
  });

  it('RMSprop divides the step by the root of the running mean square', async () => {
    const v = variable(W, G);
    const rms = new RMSprop({ learningRate: 0.01, rho: 0.8, epsilon: 1e-7 });
    seedSlots(rms, [v], [[[0.1, 0.4]]]);
    rms.apply([v], backend);
    // velocity = ρ·v + (1 − ρ)·g² = [0.8·0.1 + 0.2·0.25, 0.8·0.4 + 0.2·1] = [0.13, 0.52]
    // w − lr·g/√(velocity + ε)
    expectAllClose(await v.value.data(), [1 - (0.01 * 0.5) / Math.sqrt(0.13 + 1e-7), -2 + 0.01 / Math.sqrt(0.52 + 1e-7)]);
    expectAllClose(await slot(rms, 0, 0), [0.13, 0.52]);
  });

  it('RMSprop with momentum accumulates the increments and subtracts the accumulation', async () => {
    const v = variable(W, G);
    const rms = new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-7 });
    seedSlots(rms, [v], [[[0.1, 0.4], [0.01, -0.02]]]);
    rms.apply([v], backend);
    // increment = lr·g/√(velocity + ε) with velocity = [0.13, 0.52] (as above)
    const inc = [(0.01 * 0.5) / Math.sqrt(0.13 + 1e-7), -0.01 / Math.sqrt(0.52 + 1e-7)];
    // momentum = 0.5·[0.01, −0.02] + increment; w − momentum
    const mom = [0.5 * 0.01 + inc[0], 0.5 * -0.02 + inc[1]];
    expectAllClose(await v.value.data(), [1 - mom[0], -2 - mom[1]]);
    expectAllClose(await slot(rms, 0, 1), mom);
  });

  it('centered RMSprop subtracts the squared running mean gradient from the denominator', async () => {
    const v = variable(W, G);
    const rms = new RMSprop({ learningRate: 0.01, rho: 0.8, epsilon: 1e-7, centered: true });
    // Slots without momentum: [velocity, average_gradient].
    seedSlots(rms, [v], [[[0.1, 0.4], [0.1, -0.2]]]);
    rms.apply([v], backend);
    // velocity = [0.13, 0.52]; average = ρ·a + (1 − ρ)·g = [0.08 + 0.1, −0.16 − 0.2] = [0.18, −0.36]
    // denominator = velocity − average² + ε = [0.13 − 0.0324, 0.52 − 0.1296] + ε = [0.0976, 0.3904] + ε
    expectAllClose(await v.value.data(), [1 - 0.005 / Math.sqrt(0.0976 + 1e-7), -2 + 0.01 / Math.sqrt(0.3904 + 1e-7)]);
    expectAllClose(await slot(rms, 0, 1), [0.18, -0.36]);
  });

  it('Adagrad adds g² to an accumulator that starts at 0.1 and divides by its root', async () => {
    const v = variable(W, G);
    const adagrad = new Adagrad({ learningRate: 0.1 });
    adagrad.apply([v], backend);
    // accumulator = 0.1 + g² = [0.35, 1.1]; w − lr·g/√(accumulator + 1e-7)
    expectAllClose(await v.value.data(), [1 - 0.05 / Math.sqrt(0.35 + 1e-7), -2 + 0.1 / Math.sqrt(1.1 + 1e-7)]);
    expectAllClose(await slot(adagrad, 0, 0), [0.35, 1.1]);
  });

  it('Adagrad starts its accumulator at initialAccumulatorValue', async () => {
    const v = variable(W, G);
    const adagrad = new Adagrad({ initialAccumulatorValue: 0.5 });
    adagrad.build([v], backend);
    expectAllClose(await slot(adagrad, 0, 0), [0.5, 0.5]);
  });

  it('Adadelta scales the gradient by the ratio of the two running RMS values', async () => {
    const v = variable(W, G);
    const adadelta = new Adadelta({ learningRate: 0.5, rho: 0.9, epsilon: 1e-6 });
    seedSlots(adadelta, [v], [[[0.2, 0.1], [0.01, 0.04]]]);
    adadelta.apply([v], backend);
    // accumulated_grad = ρ·a + (1 − ρ)·g² = [0.18 + 0.025, 0.09 + 0.1] = [0.205, 0.19]
    // delta = −√(accumulated_delta + ε)/√(accumulated_grad + ε)·g
    const delta = [(-Math.sqrt(0.01 + 1e-6) / Math.sqrt(0.205 + 1e-6)) * 0.5, Math.sqrt(0.04 + 1e-6) / Math.sqrt(0.19 + 1e-6)];
    // w + lr·delta; accumulated_delta = ρ·d + (1 − ρ)·delta²
    expectAllClose(await v.value.data(), [1 + 0.5 * delta[0], -2 + 0.5 * delta[1]]);
    expectAllClose(await slot(adadelta, 0, 0), [0.205, 0.19]);
    expectAllClose(await slot(adadelta, 0, 1), [0.009 + 0.1 * delta[0] ** 2, 0.036 + 0.1 * delta[1] ** 2]);
  });

  it('Adam takes a bias-corrected first step with epsilon outside the square root', async () => {
    const v = variable(W, G);
    new Adam({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }).apply([v], backend);
    // m = 0.2·g = [0.1, −0.2]; v = 0.01·g² = [0.0025, 0.01], so √v = [0.05, 0.1]
    // α = lr·√(1 − β2¹)/(1 − β1¹) = 0.01·0.1/0.2 = 0.005; w − α·m/(√v + ε)
    expectAllClose(await v.value.data(), [1 - (0.005 * 0.1) / (0.05 + 1e-6), -2 + (0.005 * 0.2) / (0.1 + 1e-6)]);
  });

  it('Adam corrects the bias with the step count t = iterations + 1', async () => {
    const v = variable(W, G);
    const adam = new Adam({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 });
    seedSlots(adam, [v], [[[0.1, -0.1], [0.01, 0.04]]]);
    adam.iterations = 2;
    adam.apply([v], backend);
    // m = m + (g − m)·(1 − β1) = [0.1 + 0.4·0.2, −0.1 − 0.9·0.2] = [0.18, −0.28]
    // v = v + (g² − v)·(1 − β2) = [0.01 + 0.24·0.01, 0.04 + 0.96·0.01] = [0.0124, 0.0496]
    // t = 3: α = 0.01·√(1 − 0.99³)/(1 − 0.8³) = 0.01·√0.029701/0.488
    const alpha = (0.01 * Math.sqrt(0.029701)) / 0.488;
    expectAllClose(await v.value.data(), [
      1 - (alpha * 0.18) / (Math.sqrt(0.0124) + 1e-6),
      -2 + (alpha * 0.28) / (Math.sqrt(0.0496) + 1e-6),
    ]);
    expectAllClose(await slot(adam, 0, 0), [0.18, -0.28]);
    expectAllClose(await slot(adam, 0, 1), [0.0124, 0.0496]);
  });

  it('Adam with amsgrad divides by the running maximum of v', async () => {
    const v = variable(W, G);
    const adam = new Adam({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, amsgrad: true });
    // Slots: [momentum, velocity, velocity_hat]; velocity_hat seeded above v for the first element only.
    seedSlots(adam, [v], [[[0, 0], [0, 0], [0.01, 0.001]]]);
    adam.apply([v], backend);
    // v = [0.0025, 0.01]; v̂ = max(v̂, v) = [0.01, 0.01]; α = 0.005 (as above); w − α·m/(√v̂ + ε)
    expectAllClose(await v.value.data(), [1 - (0.005 * 0.1) / (0.1 + 1e-6), -2 + (0.005 * 0.2) / (0.1 + 1e-6)]);
    expectAllClose(await slot(adam, 0, 1), [0.0025, 0.01]);
    expectAllClose(await slot(adam, 0, 2), [0.01, 0.01]);
  });

  it('AdamW decays the weights by lr·wd·w before the Adam rule', async () => {
    const v = variable(W, G);
    new AdamW({ learningRate: 0.01, weightDecay: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }).apply([v], backend);
    // decayed w = w − 0.01·0.1·w = 0.999·w = [0.999, −1.998]; then the Adam step of the first Adam test
    expectAllClose(await v.value.data(), [0.999 - (0.005 * 0.1) / (0.05 + 1e-6), -1.998 + (0.005 * 0.2) / (0.1 + 1e-6)]);
  });

  it('SGD applies decoupled weight decay too', async () => {
    const v = variable(W, G);
    new SGD({ learningRate: 0.1, weightDecay: 0.5 }).apply([v], backend);
    // decayed w = w·(1 − 0.1·0.5) = [0.95, −1.9]; minus lr·g = [0.95 − 0.05, −1.9 + 0.1]
    expectAllClose(await v.value.data(), [0.9, -1.8]);
  });

  it('updates each variable from its own gradient and its own slots', async () => {
    const a = variable([1], [0.5], 'a');
    const b = variable([-2], [-1], 'b');
    const sgd = new SGD({ learningRate: 0.1, momentum: 0.9 });
    seedSlots(sgd, [a, b], [[[0.2]], [[-0.3]]]);
    sgd.apply([a, b], backend);
    // same numbers as the momentum test, split over two variables
    expectAllClose(await a.value.data(), [1.13]);
    expectAllClose(await b.value.data(), [-2.17]);
  });
});

// ---- five steps against scalar re-implementations ---------------------------------------------------------

/** One scalar weight's update: returns the new weight; `t` is the 1-based step. State lives in the closure. */
type ScalarRule = (w: number, g: number, t: number) => number;

function sgdRule(lr: number, momentum: number, nesterov: boolean, weightDecay = 0): () => ScalarRule {
  return () => {
    let velocity = 0;
    return (w, g) => {
      w *= 1 - lr * weightDecay;
      if (momentum === 0) return w - lr * g;
      velocity = momentum * velocity - lr * g;
      return nesterov ? w + momentum * velocity - lr * g : w + velocity;
    };
  };
}

function rmspropRule(lr: number, rho: number, momentum: number, epsilon: number, centered: boolean): () => ScalarRule {
  return () => {
    let meanSquare = 0;
    let meanGrad = 0;
    let buffer = 0;
    return (w, g) => {
      meanSquare = rho * meanSquare + (1 - rho) * g * g;
      meanGrad = rho * meanGrad + (1 - rho) * g;
      const variance = centered ? meanSquare - meanGrad * meanGrad : meanSquare;
      const step = (lr * g) / Math.sqrt(variance + epsilon);
      if (momentum === 0) return w - step;
      buffer = momentum * buffer + step;
      return w - buffer;
    };
  };
}

function adagradRule(lr: number, initial: number, epsilon: number): () => ScalarRule {
  return () => {
    let sumSquares = initial;
    return (w, g) => {
      sumSquares += g * g;
      return w - (lr * g) / Math.sqrt(sumSquares + epsilon);
    };
  };
}

function adadeltaRule(lr: number, rho: number, epsilon: number): () => ScalarRule {
  return () => {
    let meanSquareGrad = 0;
    let meanSquareDelta = 0;
    return (w, g) => {
      meanSquareGrad = rho * meanSquareGrad + (1 - rho) * g * g;
      const delta = -(Math.sqrt(meanSquareDelta + epsilon) / Math.sqrt(meanSquareGrad + epsilon)) * g;
      meanSquareDelta = rho * meanSquareDelta + (1 - rho) * delta * delta;
      return w + lr * delta;
    };
  };
}

function adamRule(lr: number, b1: number, b2: number, epsilon: number, amsgrad: boolean, weightDecay = 0): () => ScalarRule {
  return () => {
    let m = 0;
    let v = 0;
    let vMax = 0;
    return (w, g, t) => {
      w -= lr * weightDecay * w;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      vMax = Math.max(vMax, v);
      const mHat = m / (1 - b1 ** t);
      // Keras's epsilon is "epsilon hat": added to √v before the √(1 − β2^t) correction.
      return w - (lr * mHat * Math.sqrt(1 - b2 ** t)) / (Math.sqrt(amsgrad ? vMax : v) + epsilon);
    };
  };
}

/** Two variables (sizes 2 and 1) and five steps of gradients, a zero and sign changes included. */
const W0 = [[0.7, -1.3], [2.1]];
const GRADS = [
  [[0.5, -1], [2]],
  [[0.3, 0.2], [-1.5]],
  [[-0.4, 0.9], [0.1]],
  [[1.2, -0.6], [0]],
  [[-0.2, 0.4], [0.8]],
];

describe('five steps against scalar re-implementations (1e-12)', () => {
  const cases: { name: string; make: () => Optimizer; rule: () => ScalarRule }[] = [
    { name: 'SGD with momentum', make: () => new SGD({ learningRate: 0.05, momentum: 0.8 }), rule: sgdRule(0.05, 0.8, false) },
    {
      name: 'SGD with Nesterov momentum',
      make: () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
      rule: sgdRule(0.05, 0.9, true),
    },
    {
      name: 'SGD with weight decay',
      make: () => new SGD({ learningRate: 0.05, weightDecay: 0.3 }),
      rule: sgdRule(0.05, 0, false, 0.3),
    },
    {
      name: 'centered RMSprop with momentum',
      make: () => new RMSprop({ learningRate: 0.01, rho: 0.85, momentum: 0.6, epsilon: 1e-7, centered: true }),
      rule: rmspropRule(0.01, 0.85, 0.6, 1e-7, true),
    },
    {
      name: 'Adagrad',
      make: () => new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.2, epsilon: 1e-7 }),
      rule: adagradRule(0.1, 0.2, 1e-7),
    },
    {
      name: 'Adadelta',
      make: () => new Adadelta({ learningRate: 1, rho: 0.9, epsilon: 1e-6 }),
      rule: adadeltaRule(1, 0.9, 1e-6),
    },
    {
      name: 'Adam',
      make: () => new Adam({ learningRate: 0.01, beta1: 0.85, beta2: 0.995, epsilon: 1e-7 }),
      rule: adamRule(0.01, 0.85, 0.995, 1e-7, false),
    },
    {
      name: 'Adam with amsgrad',
      make: () => new Adam({ learningRate: 0.01, beta1: 0.85, beta2: 0.995, epsilon: 1e-7, amsgrad: true }),
      rule: adamRule(0.01, 0.85, 0.995, 1e-7, true),
    },
    {
      name: 'AdamW',
      make: () => new AdamW({ learningRate: 0.01, weightDecay: 0.05, beta1: 0.85, beta2: 0.995, epsilon: 1e-7 }),
      rule: adamRule(0.01, 0.85, 0.995, 1e-7, false, 0.05),
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s matches its scalar re-implementation after every step', async (_, c) => {
    const { make, rule } = c;
    const vars = W0.map((w, i) => variable(w, GRADS[0][i], `v${i}`));
    const optimizer = make();
    const rules = W0.map((w) => w.map(() => rule()));
    const expected = W0.map((w) => [...w]);
    for (let s = 0; s < GRADS.length; s++) {
      vars.forEach((v, i) => backend.write(v.grad!, GRADS[s][i]));
      optimizer.apply(vars, backend);
      for (let i = 0; i < expected.length; i++) {
        for (let j = 0; j < expected[i].length; j++) expected[i][j] = rules[i][j](expected[i][j], GRADS[s][i][j], s + 1);
        expectAllClose(await vars[i].value.data(), expected[i]);
      }
    }
    expect(optimizer.iterations).toBe(GRADS.length);
  });
});

// ---- clipping ------------------------------------------------------------------------------------------------
// Plain SGD with lr 1 from w = 0, so the new weight is minus the clipped gradient.

function zerosLike(grad: number[], name = 'w'): Variable {
  return variable(grad.map(() => 0), grad, name);
}

describe('gradient clipping', () => {
  it('clipnorm rescales each gradient tensor whose L2 norm exceeds it, and only those', async () => {
    const big = zerosLike([3, 4], 'big'); // norm 5
    const small = zerosLike([0.3, 0.4], 'small'); // norm 0.5
    new SGD({ learningRate: 1, clipnorm: 1 }).apply([big, small], backend);
    // [3, 4]·1/5 = [0.6, 0.8]; [0.3, 0.4] is within the norm and left alone
    expectAllClose(await big.value.data(), [-0.6, -0.8]);
    expectAllClose(await small.value.data(), [-0.3, -0.4]);
  });

  it('clipvalue clips each gradient element to [−clipvalue, clipvalue]', async () => {
    const v = zerosLike([0.3, -2, 0.7]);
    new SGD({ learningRate: 1, clipvalue: 0.5 }).apply([v], backend);
    expectAllClose(await v.value.data(), [-0.3, 0.5, -0.5]);
  });

  it('globalClipnorm rescales all gradients together by their joint L2 norm', async () => {
    const a = zerosLike([3, 4], 'a');
    const b = zerosLike([0, 12], 'b');
    new SGD({ learningRate: 1, globalClipnorm: 1 }).apply([a, b], backend);
    // joint norm √(9 + 16 + 144) = 13, so every gradient is scaled by 1/13
    expectAllClose(await a.value.data(), [-3 / 13, -4 / 13]);
    expectAllClose(await b.value.data(), [0, -12 / 13]);
  });

  it('globalClipnorm leaves gradients whose joint norm is within it unchanged', async () => {
    const a = zerosLike([0.3, 0.4], 'a');
    const b = zerosLike([0, 0.5], 'b');
    new SGD({ learningRate: 1, globalClipnorm: 1 }).apply([a, b], backend);
    expectAllClose(await a.value.data(), [-0.3, -0.4]);
    expectAllClose(await b.value.data(), [0, -0.5]);
  });

  it('clipping leaves the gradient tensors themselves untouched', async () => {
    const v = zerosLike([3, 4]);
    new SGD({ learningRate: 1, clipnorm: 1 }).apply([v], backend);
    expectAllClose(await v.grad!.data(), [3, 4]);
  });

  it.each([
    ['clipnorm and clipvalue', { clipnorm: 1, clipvalue: 1 }],
    ['clipnorm and globalClipnorm', { clipnorm: 1, globalClipnorm: 1 }],
    ['clipvalue and globalClipnorm', { clipvalue: 1, globalClipnorm: 1 }],
  ] as const)('setting %s together throws a ValueError', (_, clip) => {
    const c = { clipnorm: 0, clipvalue: 0, globalClipnorm: 0, ...clip };
    expectValueError(
      () => new SGD(clip),
      'Invalid clipping for SGD: expected at most one of clipnorm, clipvalue and globalClipnorm. ' +
        `Received: clipnorm=${c.clipnorm}, clipvalue=${c.clipvalue}, globalClipnorm=${c.globalClipnorm}.`,
    );
  });
});

// ---- learning rate ---------------------------------------------------------------------------------------------

describe('learning rate', () => {
  it('a learning rate set after construction is used by the next step', async () => {
    const v = variable(W, G);
    const sgd = new SGD({ learningRate: 0.1 });
    sgd.learningRate = 0.5;
    sgd.apply([v], backend);
    // w − 0.5·g = [1 − 0.25, −2 + 0.5]
    expect(sgd.learningRate).toBe(0.5);
    expectAllClose(await v.value.data(), [0.75, -1.5]);
  });

  it('setting a negative learning rate throws a ValueError', () => {
    const sgd = new SGD();
    expectValueError(() => {
      sgd.learningRate = -1;
    }, 'Invalid learningRate for SGD: expected a number in [0, Infinity]. Received: learningRate=-1.');
  });

  it('a schedule is evaluated at the number of steps already applied', async () => {
    const v = variable([0], [1]);
    const schedule = { call: (step: number) => 0.1 / (1 + step) };
    const sgd = new SGD({ learningRate: schedule });
    expect(sgd.learningRate).toBe(0.1);
    for (let i = 0; i < 3; i++) sgd.apply([v], backend);
    // steps 0, 1, 2 use 0.1, 0.05, 0.1/3 with g = 1
    expectAllClose(await v.value.data(), [-(0.1 + 0.05 + 0.1 / 3)]);
    expect(sgd.learningRate).toBe(0.025);
    expect(sgd.learningRateSchedule).toBe(schedule);
  });

  it('a scheduled learning rate also drives the weight decay', async () => {
    const v = variable([2], [0]);
    const sgd = new SGD({ learningRate: { call: (step) => (step === 0 ? 0.1 : 0.2) }, weightDecay: 0.5 });
    sgd.apply([v], backend);
    sgd.apply([v], backend);
    // zero gradient: w·(1 − 0.1·0.5)·(1 − 0.2·0.5) = 2·0.95·0.9
    expectAllClose(await v.value.data(), [1.71]);
  });

  it('setting a number replaces a schedule', () => {
    const sgd = new SGD({ learningRate: { call: () => 0.3 } });
    sgd.learningRate = 0.02;
    expect(sgd.learningRateSchedule).toBe(0.02);
  });
});

// ---- identifiers and validation --------------------------------------------------------------------------------

describe('string identifiers and options', () => {
  it.each(['adam', 'Adam'])("'%s' resolves to Adam with Keras defaults", (name) => {
    const adam = getOptimizer(name) as Adam;
    expect(adam).toBeInstanceOf(Adam);
    expect(adam.kind).toBe('adam');
    expect([adam.learningRate, adam.beta1, adam.beta2, adam.epsilon, adam.amsgrad, adam.weightDecay]).toEqual([
      1e-3, 0.9, 0.999, 1e-7, false, 0,
    ]);
  });

  it("'adamW' resolves to AdamW with weight decay 0.004", () => {
    const adamw = getOptimizer('adamW') as AdamW;
    expect(adamw).toBeInstanceOf(AdamW);
    expect(adamw.kind).toBe('adamw');
    const config = [adamw.learningRate, adamw.beta1, adamw.beta2, adamw.epsilon, adamw.weightDecay];
    expect(config).toEqual([1e-3, 0.9, 0.999, 1e-7, 0.004]);
  });

  it.each(['rmsprop', 'RMSprop'])("'%s' resolves to RMSprop with Keras defaults", (name) => {
    const rms = getOptimizer(name) as RMSprop;
    expect(rms).toBeInstanceOf(RMSprop);
    expect([rms.learningRate, rms.rho, rms.momentum, rms.epsilon, rms.centered]).toEqual([1e-3, 0.9, 0, 1e-7, false]);
  });

  it("'sgd' resolves to SGD with learning rate 0.01 and no momentum", () => {
    const sgd = getOptimizer('sgd') as SGD;
    expect(sgd).toBeInstanceOf(SGD);
    expect([sgd.learningRate, sgd.momentum, sgd.nesterov, sgd.weightDecay]).toEqual([0.01, 0, false, 0]);
  });

  it("'adagrad' resolves to Adagrad with Keras defaults", () => {
    const adagrad = getOptimizer('adagrad') as Adagrad;
    expect(adagrad).toBeInstanceOf(Adagrad);
    expect([adagrad.learningRate, adagrad.initialAccumulatorValue, adagrad.epsilon]).toEqual([1e-3, 0.1, 1e-7]);
  });

  it("'adadelta' resolves to Adadelta with Keras defaults", () => {
    const adadelta = getOptimizer('adadelta') as Adadelta;
    expect(adadelta).toBeInstanceOf(Adadelta);
    expect([adadelta.learningRate, adadelta.rho, adadelta.epsilon]).toEqual([1e-3, 0.95, 1e-7]);
  });

  it('an optimizer instance is passed through unchanged', () => {
    const sgd = new SGD();
    expect(getOptimizer(sgd)).toBe(sgd);
  });

  it('an unknown name throws an UnknownIdentifierError listing the valid names', () => {
    expect(() => getOptimizer('adamax')).toThrow(UnknownIdentifierError);
    expect(() => getOptimizer('adamax')).toThrow(
      "Invalid optimizer for compile: expected one of 'sgd', 'rmsprop', 'adagrad', 'adadelta', 'adam', 'adamw' " +
        "(snake_case or camelCase). Received: 'adamax'.",
    );
  });

  const invalidOptions = [
    {
      option: 'a negative learning rate',
      make: () => new SGD({ learningRate: -0.1 }),
      message: 'Invalid learningRate for SGD: expected a number in [0, Infinity]. Received: learningRate=-0.1.',
    },
    {
      option: 'a NaN learning rate',
      make: () => new Adam({ learningRate: NaN }),
      message: 'Invalid learningRate for Adam: expected a number in [0, Infinity]. Received: learningRate=NaN.',
    },
    {
      option: 'beta1 = 1 for Adam',
      make: () => new Adam({ beta1: 1 }),
      message: 'Invalid beta1 for Adam: expected a number in [0, 1). Received: beta1=1.',
    },
    {
      option: 'beta2 = 1 for AdamW',
      make: () => new AdamW({ beta2: 1 }),
      message: 'Invalid beta2 for AdamW: expected a number in [0, 1). Received: beta2=1.',
    },
    {
      option: 'momentum 1.5 for SGD',
      make: () => new SGD({ momentum: 1.5 }),
      message: 'Invalid momentum for SGD: expected a number in [0, 1]. Received: momentum=1.5.',
    },
    {
      option: 'a negative rho for RMSprop',
      make: () => new RMSprop({ rho: -0.1 }),
      message: 'Invalid rho for RMSprop: expected a number in [0, 1]. Received: rho=-0.1.',
    },
    {
      option: 'a negative epsilon for Adagrad',
      make: () => new Adagrad({ epsilon: -1 }),
      message: 'Invalid epsilon for Adagrad: expected a number in [0, Infinity]. Received: epsilon=-1.',
    },
    {
      option: 'rho 2 for Adadelta',
      make: () => new Adadelta({ rho: 2 }),
      message: 'Invalid rho for Adadelta: expected a number in [0, 1]. Received: rho=2.',
    },
    {
      option: 'a negative clipnorm',
      make: () => new SGD({ clipnorm: -1 }),
      message: 'Invalid clipnorm for SGD: expected a number in [0, Infinity]. Received: clipnorm=-1.',
    },
    {
      option: 'a negative weightDecay',
      make: () => new SGD({ weightDecay: -0.1 }),
      message: 'Invalid weightDecay for SGD: expected a number in [0, Infinity]. Received: weightDecay=-0.1.',
    },
    {
      option: 'a learning rate that is neither a number nor a schedule',
      make: () => new SGD({ learningRate: {} as unknown as number }),
      message:
        'Invalid learningRate for SGD: expected a non-negative number or a schedule with call(step). ' +
        'Received: learningRate={}.',
    },
  ];
  it.each(invalidOptions.map((c) => [c.option, c] as const))(
    '%s throws a ValueError in the message template',
    (_, { make, message }) => expectValueError(make, message),
  );
});
