/**
 * Cross-entropy clipping and the binary accuracy threshold in float32, on every backend, against Keras 3's
 * code: the TensorFlow backend's `binary_crossentropy` clips with
 * `tf.clip_by_value(output, epsilon, 1.0 - epsilon)`, whose bounds become float32 constants (1 − 1e-7
 * rounds to 1 − 2⁻²³), and `categorical_crossentropy` does the same after normalising each row;
 * `binary_accuracy` compares `y_pred > threshold` with the threshold cast to y_pred's dtype.
 *
 * Tolerance: 1e-6 relative (float32 logarithms); the old float64 bounds were off by 1 % and 19 % here.
 */
import { expect, it } from 'vitest';
import { Loss } from '../../src/losses';
import { BinaryAccuracy } from '../../src/metrics';
import { describeEachBackend } from '../setup/each-backend';

const f = Math.fround;
const LO = f(1e-7);
const HI = f(1 - 1e-7);

describeEachBackend('Keras 3 numbers in float32', (ctx) => {
  /** The summed loss of one batch of probabilities (no gradient). */
  async function lossSum(kind: string, yPred: number[][], yTrue: number[][]): Promise<number> {
    const b = ctx.backend();
    const pred = b.upload(yPred.flat(), [yPred.length, yPred[0].length], 'float32');
    const truth = b.upload(yTrue.flat(), [yTrue.length, yTrue[0].length], 'float32');
    const acc = b.alloc([2], 'float32');
    b.loss(new Loss(kind, kind, { epsilon: 1e-7 }).program(), pred, truth, acc, null);
    const [sum] = await acc.data();
    for (const t of [pred, truth, acc]) t.dispose();
    return sum;
  }

  const expectRel = (got: number, want: number) => expect(Math.abs(got - want) / Math.abs(want), `${got} vs ${want}`).toBeLessThanOrEqual(1e-6);

  it('binary cross-entropy of a probability of 1 for a 0 target is −log(1 − f32(1 − 1e-7)) = 23·ln 2', async () => {
    expect(HI).toBe(1 - 2 ** -23);
    expectRel(await lossSum('binary_crossentropy', [[1]], [[0]]), -Math.log(1 - HI));
    expectRel(await lossSum('binary_crossentropy', [[0]], [[1]]), -Math.log(LO));
  });

  it('categorical cross-entropy clips the true class at f32(1 − 1e-7): a sure right answer costs 2⁻²³', async () => {
    // normalised [1, 0] → clipped [HI, LO]; −Σ t·log p = −log(HI) ≈ 1.19e-7 (1e-7 with float64 bounds).
    expectRel(await lossSum('categorical_crossentropy', [[1, 0]], [[1, 0]]), -Math.log(HI));
  });

  it('binary accuracy compares with its threshold in float32: y_pred = 0.3 is not above 0.3', async () => {
    const b = ctx.backend();
    const pred = b.upload([0.3, 0.30000004, 0.2], [3, 1], 'float32');
    const truth = b.upload([0, 1, 0], [3, 1], 'float32');
    const acc = b.alloc([2], 'float32');
    b.metric(new BinaryAccuracy({ threshold: 0.3 }).program(), pred, truth, acc);
    expect(Array.from(await acc.data())).toEqual([3, 3]);
    for (const t of [pred, truth, acc]) t.dispose();
  });
});
