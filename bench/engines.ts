/**
 * The engines `bench/train.ts` compares: this library's backends and TensorFlow.js 4.22's. Each engine
 * builds the same Keras model (same layers, initializers, optimizer, loss and metric) and exposes `fit`
 * on the first `samples` training digits and `predict` on the 2,000 test digits, with the readback.
 */
import type * as Keras from '../src';
import type * as TF from '@tensorflow/tfjs';
import { currentBackend } from '../src/backend/registry';

export type ModelName = 'mnist' | 'wide';

/** Flatten(28×28) → Dense(h, relu) [→ Dropout] … → Dense(10, softmax); Adam, sparse categorical CE. */
export interface ModelSpec {
  name: ModelName;
  /** Human-readable architecture. */
  label: string;
  batchSize: number;
  hidden: number[];
  /** Dropout rate after each hidden layer (0: none). */
  dropout: number;
  /** he_normal kernels on the hidden layers (else each library's default, glorot_uniform). */
  heNormal: boolean;
}

export const MODELS: Record<ModelName, ModelSpec> = {
  mnist: {
    name: 'mnist',
    label: 'Flatten 28×28 → Dense(128, relu, he_normal) → Dropout(0.2) → Dense(10, softmax), batch 128',
    batchSize: 128,
    hidden: [128],
    dropout: 0.2,
    heNormal: true,
  },
  wide: {
    name: 'wide',
    label: 'Flatten 28×28 → Dense(1024, relu) → Dense(1024, relu) → Dense(10, softmax), batch 256',
    batchSize: 256,
    hidden: [1024, 1024],
    dropout: 0,
    heNormal: false,
  },
};

export const PIXELS = 28 * 28;
export const CLASSES = 10;

/** Multiplications by a weight per sample in one forward pass: Σ fan_in × fan_out (biases left out). */
export function weightMacs(spec: ModelSpec): number {
  const sizes = [PIXELS, ...spec.hidden, CLASSES];
  let macs = 0;
  for (let i = 0; i + 1 < sizes.length; i++) macs += sizes[i] * sizes[i + 1];
  return macs;
}

export interface BenchData {
  xTrain: Float32Array;
  yTrain: Float32Array;
  xTest: Float32Array;
  trainCount: number;
  testCount: number;
}

/** One compiled model on one engine. */
export interface Session {
  /** `fit` on the first `samples` training digits for `epochs` epochs, verbose 0, shuffled. */
  fit(samples: number, epochs: number): Promise<void>;
  /** `predict` on the test digits with batch 512, reading the whole output back to the host. */
  predict(): Promise<void>;
  dispose(): void;
}

export interface Engine {
  /** Command-line name: cpu, webgpu, tfjs-cpu, tfjs-wasm, tfjs-webgpu. */
  id: string;
  /** Row label in the table. */
  label: string;
  /** This library (true) or TensorFlow.js (false). */
  ours: boolean;
  /** Selects the backend; throws (with the reason) when it cannot start. Resolves to a note or ''. */
  start(): Promise<string>;
  build(spec: ModelSpec, data: BenchData): Promise<Session>;
}

export const PREDICT_BATCH = 512;

/** This library on `backend`; `gpu` is the Dawn/navigator GPU object shared with TF.js WebGPU. */
export function kerasEngine(keras: typeof Keras, backend: 'cpu' | 'wasm' | 'webgpu', gpu: GPU | null): Engine {
  return {
    id: backend,
    label: `webgpu-keras ${backend}`,
    ours: true,
    async start() {
      if (backend === 'webgpu' && !gpu) throw new Error('no WebGPU (Dawn) GPU object');
      const name = await keras.setBackend(backend, backend === 'webgpu' && gpu ? { gpu } : {});
      if (name !== backend) throw new Error(`setBackend('${backend}') selected '${name}'`);
      if (backend === 'wasm') {
        // Internal, read duck-typed: threads and SIMD of the wasm backend.
        const info = (currentBackend() as { info?: { threads: number; simd: string } }).info;
        return info ? `${info.threads} thread${info.threads === 1 ? '' : 's'}, ${info.simd} SIMD` : '';
      }
      if (backend !== 'webgpu') return '';
      // Internal, read duck-typed: the adapter the backend chose and its matmul variant.
      const b = currentBackend() as { adapter?: unknown; matmulKernel?: unknown };
      return [typeof b.adapter === 'string' ? `adapter: ${b.adapter}` : '', typeof b.matmulKernel === 'string' ? `matmul kernel: ${b.matmulKernel}` : '']
        .filter(Boolean)
        .join(', ');
    },
    async build(spec, data) {
      keras.utils.setRandomSeed(42);
      const kernelInitializer = spec.heNormal ? 'he_normal' : 'glorot_uniform';
      const layers: Keras.layers.Layer[] = [new keras.layers.Flatten({ inputShape: [28, 28] })];
      for (const units of spec.hidden) {
        layers.push(new keras.layers.Dense(units, { activation: 'relu', kernelInitializer }));
        if (spec.dropout > 0) layers.push(new keras.layers.Dropout(spec.dropout));
      }
      layers.push(new keras.layers.Dense(CLASSES, { activation: 'softmax' }));
      const model = new keras.Sequential(layers);
      model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

      const tensors: Keras.Tensor[] = [];
      const keep = <T extends Keras.Tensor>(t: T): T => (tensors.push(t), t);
      const subsets = new Map<number, [Keras.Tensor, Keras.Tensor]>();
      const subset = (n: number): [Keras.Tensor, Keras.Tensor] => {
        let s = subsets.get(n);
        if (!s) {
          s = [
            keep(keras.tensor(data.xTrain.subarray(0, n * PIXELS), [n, 28, 28])),
            keep(keras.tensor(data.yTrain.subarray(0, n), [n])),
          ];
          subsets.set(n, s);
        }
        return s;
      };
      const xTest = keep(keras.tensor(data.xTest, [data.testCount, 28, 28]));
      return {
        async fit(samples, epochs) {
          const [x, y] = subset(samples);
          await model.fit(x, y, { batchSize: spec.batchSize, epochs, verbose: 0, shuffle: true });
        },
        async predict() {
          const out = await model.predict(xTest, { batchSize: PREDICT_BATCH, verbose: 0 });
          await out.data();
          out.dispose();
        },
        dispose() {
          model.dispose();
          for (const t of tensors) t.dispose();
        },
      };
    },
  };
}

/** TensorFlow.js on `backend` (registered by the caller: wasm and webgpu are separate packages). */
export function tfjsEngine(tf: typeof TF, backend: 'cpu' | 'wasm' | 'webgpu', describeBackend: () => string = () => ''): Engine {
  return {
    id: `tfjs-${backend}`,
    label: `tfjs ${backend}`,
    ours: false,
    async start() {
      if (!tf.findBackendFactory(backend)) throw new Error(`backend '${backend}' is not registered`);
      // TF.js reports an initialization failure as a console warning and `false`: keep the warning.
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
      let ok: boolean;
      try {
        ok = await tf.setBackend(backend);
        await tf.ready();
      } finally {
        console.warn = warn;
      }
      if (!ok || tf.getBackend() !== backend) {
        // The first warning, without its stack trace.
        const why = (warnings[0] ?? '').split(/\n\s*at /)[0].replace(/\s+/g, ' ').trim().slice(0, 240);
        throw new Error(`tf.setBackend('${backend}') failed${why ? `: ${why}` : ''}`);
      }
      return describeBackend();
    },
    async build(spec, data) {
      const layers: TF.layers.Layer[] = [tf.layers.flatten({ inputShape: [28, 28] })];
      for (const units of spec.hidden) {
        layers.push(tf.layers.dense({ units, activation: 'relu', kernelInitializer: spec.heNormal ? 'heNormal' : 'glorotUniform' }));
        if (spec.dropout > 0) layers.push(tf.layers.dropout({ rate: spec.dropout }));
      }
      layers.push(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
      const model = tf.sequential({ layers });
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

      const tensors: TF.Tensor[] = [];
      const subsets = new Map<number, [TF.Tensor, TF.Tensor]>();
      const subset = (n: number): [TF.Tensor, TF.Tensor] => {
        let s = subsets.get(n);
        if (!s) {
          s = [tf.tensor(data.xTrain.slice(0, n * PIXELS), [n, 28, 28]), tf.tensor(data.yTrain.slice(0, n), [n])];
          tensors.push(...s);
          subsets.set(n, s);
        }
        return s;
      };
      const xTest = tf.tensor(data.xTest.slice(), [data.testCount, 28, 28]);
      tensors.push(xTest);
      return {
        async fit(samples, epochs) {
          const [x, y] = subset(samples);
          await model.fit(x, y, { batchSize: spec.batchSize, epochs, verbose: 0, shuffle: true });
        },
        async predict() {
          const out = model.predict(xTest, { batchSize: PREDICT_BATCH }) as TF.Tensor;
          await out.data();
          out.dispose();
        },
        dispose() {
          model.dispose();
          for (const t of tensors) t.dispose();
        },
      };
    },
  };
}
