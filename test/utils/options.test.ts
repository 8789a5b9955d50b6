import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors';
import { checkOptions, snakeToCamel } from '../../src/utils/options';

const spec = { known: ['batchSize', 'epochs', 'verbose'], notImplemented: { classWeight: 'weight the loss by hand' } };

describe('checkOptions', () => {
  it('returns an empty object for undefined', () => {
    expect(checkOptions(undefined, 'fit', spec)).toEqual({});
  });

  it('accepts known keys', () => {
    expect(checkOptions({ batchSize: 4, epochs: undefined }, 'fit', spec)).toEqual({ batchSize: 4, epochs: undefined });
  });

  it('maps a snake_case key to its camelCase name in the hint', () => {
    expect(() => checkOptions({ batch_size: 4 }, 'fit', spec)).toThrow(
      /Invalid option 'batch_size' for fit: expected one of batchSize, epochs, verbose\. Received: batch_size=4\.\nhint: did you mean 'batchSize'\?/,
    );
  });

  it('suggests the closest name for a typo', () => {
    expect(() => checkOptions({ epoch: 4 }, 'fit', spec)).toThrow(/did you mean 'epochs'/);
  });

  it('says plainly when a Keras option is not implemented', () => {
    expect(() => checkOptions({ class_weight: {} }, 'fit', spec)).toThrow(/exists in Keras but is not implemented in webgpu-keras yet; weight the loss by hand/);
  });

  it.each([null, 4, 'relu', [1], () => 1])('refuses %s where options go', (value) => {
    expect(() => checkOptions(value as never, 'fit', spec)).toThrow(ValueError);
  });

  it('converts snake_case to camelCase', () => {
    expect(snakeToCamel('validation_split')).toBe('validationSplit');
    expect(snakeToCamel('beta_1')).toBe('beta1');
  });
});

describe('checkOptions hints', () => {
  it('names the Keras spelling only when the key was the snake_case form', () => {
    expect(() => checkOptions({ batch_size: 4 }, 'fit', spec)).toThrow(/hint: did you mean 'batchSize'\? Options are camelCase here \(Keras's 'batch_size' is 'batchSize'\)\./);
  });

  it('gives a plain did-you-mean for a typo', () => {
    expect(() => checkOptions({ epoch: 4 }, 'fit', spec)).toThrow(/hint: did you mean 'epochs'\?$/);
  });
});
