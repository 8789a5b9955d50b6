/**
 * Trains a model with a custom activation and a custom loss (written with keras.ops) on the CPU and on
 * WebGPU in a page whose Content-Security-Policy forbids 'unsafe-eval', and writes what happened into
 * #out as JSON for test/examples/csp-page.test.ts.
 */
import * as keras from '../../../src';

const { ops } = keras;
const notices: string[] = [];
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  notices.push(args.map(String).join(' '));
  warn(...args);
};

function evalAllowed(): boolean {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
}

async function train(backend: 'cpu' | 'webgpu'): Promise<number[]> {
  await keras.setBackend(backend);
  keras.utils.setRandomSeed(3);
  const swishish = (x: keras.Expr) => ops.multiply(x, ops.sigmoid(ops.multiply(1.5, x)));
  const logCosh = (yTrue: keras.Expr, yPred: keras.Expr) => ops.mean(ops.log(ops.cosh(ops.subtract(yPred, yTrue))), -1);
  const model = new keras.Sequential([new keras.layers.Dense(8, { inputShape: [2], activation: swishish }), new keras.layers.Dense(1)]);
  model.compile({ optimizer: new keras.optimizers.Adam({ learningRate: 0.02 }), loss: logCosh });
  const x = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(0.7 * i)]);
  const history = await model.fit(x, x.map(([a, b]) => [a * b]), { epochs: 4, batchSize: 16, verbose: 0, seed: 1 });
  model.dispose();
  return history.history.loss;
}

async function main(): Promise<void> {
  const out = document.getElementById('out')!;
  try {
    const eval_ = evalAllowed();
    const cpu = await train('cpu');
    const webgpu = await train('webgpu');
    out.textContent = JSON.stringify({ evalAllowed: eval_, cpu, webgpu, notices });
    document.body.dataset.state = 'done';
  } catch (error) {
    out.textContent = JSON.stringify({ error: `${(error as Error).name}: ${(error as Error).message}`, notices });
    document.body.dataset.state = 'error';
  }
}

void main();
