import { expect, it } from 'vitest';
import * as keras from '../../src';
import { describeEachBackend } from '../setup/each-backend';

describeEachBackend('tensors', () => {
  it('infers the shape of nested arrays and reads them back', async () => {
    const t = keras.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(await t.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(await t.data())).toEqual([1, 2, 3, 4, 5, 6]);
    t.dispose();
  });

  it('takes a typed array with a shape, and int32 data', async () => {
    const t = keras.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    expect(await t.array()).toEqual([[1, 2], [3, 4], [5, 6]]);
    const labels = keras.tensor(new Int32Array([3, 1, 2]));
    expect(labels.dtype).toBe('int32');
    expect(Array.from(await labels.data())).toEqual([3, 1, 2]);
    t.dispose();
    labels.dispose();
  });

  it('rejects a shape that does not fit the values, and ragged arrays', () => {
    expect(() => keras.tensor([1, 2, 3], [2, 2])).toThrow(/expected 3 elements to fill it. Received: shape \[2,2\]/);
    expect(() => keras.tensor([[1, 2], [3]])).toThrow(keras.errors.ShapeError);
  });

  it('counts live tensors and bytes, and releases them on dispose', () => {
    const before = keras.memory();
    const t = keras.tensor(new Float32Array(256), [16, 16]);
    expect(keras.memory().numTensors).toBe(before.numTensors + 1);
    expect(keras.memory().numBytes).toBeGreaterThanOrEqual(before.numBytes + 1024);
    t.dispose();
    t.dispose();
    expect(keras.memory().numTensors).toBe(before.numTensors);
    expect(keras.memory().numBytes).toBe(before.numBytes);
  });
});
