/**
 * The seed's toy study on 2-D blobs (100 points around (1, 1) labelled 1, 40 around (−1, −1) labelled 0):
 * SGD against Adam under mean squared error, dropout, batch normalization at batch sizes 2 and 16, and a
 * softmax classification head. Each run writes its training history and decision boundary as SVG into
 * `examples/output/toy/`.
 *
 *   npx vite-node examples/toy.ts [--backend cpu|webgpu|auto] [--out examples/output/toy]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as keras from '../src';
import { blobs } from './data/blobs';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
console.log(`backend: ${await keras.setBackend(arg('backend', 'cpu') as keras.BackendName)}`);
const out = arg('out', 'examples/output/toy');
mkdirSync(out, { recursive: true });
// The blobs come ordered by class; shuffle once so validationSplit (the last 20 %, as in Keras) sees both.
const data = blobs(0);
const order = keras.utils.shuffleIndices(data.x.length, 0);
const x = Array.from(order, (i) => data.x[i]);
const y = Array.from(order, (i) => data.y[i]);

interface Study {
  name: string;
  title: string;
  layers: () => keras.layers.Layer[];
  optimizer: () => keras.optimizers.Optimizer;
  loss: keras.losses.LossName;
  metrics: keras.metrics.MetricName[];
  batchSize: number;
}

const hidden = () => new keras.layers.Dense(8, { inputShape: [2], activation: 'relu' });
const regressionHead = () => new keras.layers.Dense(1, { activation: 'sigmoid' });
const studies: Study[] = [
  { name: 'sgd', title: 'MSE, SGD (lr 1e-3)', layers: () => [hidden(), regressionHead()], optimizer: () => new keras.optimizers.SGD({ learningRate: 1e-3 }), loss: 'mse', metrics: ['r2_score'], batchSize: 16 },
  { name: 'adam', title: 'MSE, Adam', layers: () => [hidden(), regressionHead()], optimizer: () => new keras.optimizers.Adam(), loss: 'mse', metrics: ['r2_score'], batchSize: 16 },
  { name: 'dropout', title: 'MSE, Adam, Dropout(0.3)', layers: () => [hidden(), new keras.layers.Dropout(0.3), regressionHead()], optimizer: () => new keras.optimizers.Adam(), loss: 'mse', metrics: ['r2_score'], batchSize: 16 },
  { name: 'batchnorm-batch2', title: 'MSE, Adam, BatchNormalization, batch 2', layers: () => [hidden(), new keras.layers.BatchNormalization(), regressionHead()], optimizer: () => new keras.optimizers.Adam(), loss: 'mse', metrics: ['r2_score'], batchSize: 2 },
  { name: 'batchnorm-batch16', title: 'MSE, Adam, BatchNormalization, batch 16', layers: () => [hidden(), new keras.layers.BatchNormalization(), regressionHead()], optimizer: () => new keras.optimizers.Adam(), loss: 'mse', metrics: ['r2_score'], batchSize: 16 },
  { name: 'classifier', title: 'Softmax head, sparse categorical cross-entropy', layers: () => [hidden(), new keras.layers.Dense(2, { activation: 'softmax' })], optimizer: () => new keras.optimizers.Adam(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], batchSize: 16 },
];

for (const study of studies) {
  keras.utils.setRandomSeed(0);
  const model = new keras.Sequential(study.layers());
  model.compile({ optimizer: study.optimizer(), loss: study.loss, metrics: study.metrics });
  const history = await model.fit(x, y, { epochs: 50, batchSize: study.batchSize, validationSplit: 0.2, verbose: 0, seed: 0 });
  const final = await model.evaluate(x, y, { verbose: 0 });
  await keras.plotHistory(history, { path: join(out, `${study.name}-history.svg`), title: study.title });
  await keras.plotDecisionBoundary(model, x, y, { path: join(out, `${study.name}-boundary.svg`), title: study.title, classNames: ['0', '1'] });
  const scores = Object.entries(final).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
  console.log(`${study.name.padEnd(18)} ${scores}  →  ${join(out, study.name)}-{history,boundary}.svg`);
  model.dispose();
}
