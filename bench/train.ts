/**
 * Training and prediction throughput of this library against TensorFlow.js 4.22, in one run, on the
 * 8,000 real MNIST training digits: the MNIST model (batch 128) and a wide 784-1024-1024-10 MLP
 * (batch 256), on every engine that starts here. See bench/README.md.
 *
 *   npm run bench                          all engines, both models, median of 3 timed runs per cell
 *   npm run bench -- --quick               one short timed run per cell
 *   npm run bench -- --engines cpu,tfjs-cpu,tfjs-wasm,webgpu,tfjs-webgpu --models mnist,wide
 *   npm run bench -- --json out.json       also write the raw numbers
 *
 * Training samples/s = samples / wall time of `fit` (verbose 0, shuffled), after a warm-up.
 * Prediction samples/s = 2,000 / wall time of `predict` (batch 512) plus reading the output back.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as keras from '../src';
import { loadMnist } from '../examples/data/mnist';
import { MODELS, PREDICT_BATCH, kerasEngine, tfjsEngine, weightMacs, type BenchData, type Engine, type ModelName, type ModelSpec } from './engines';

// ---------------------------------------------------------------------------------------------
// Options

const ALL_ENGINES = ['cpu', 'wasm', 'webgpu', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgpu'] as const;
const ALL_MODELS: ModelName[] = ['mnist', 'wide'];
const labelOf = (id: string): string => (id.startsWith('tfjs-') ? `tfjs ${id.slice(5)}` : `webgpu-keras ${id}`);

function usage(message: string): never {
  console.error(`${message}\nusage: npm run bench -- [--quick] [--engines ${ALL_ENGINES.join(',')}] [--models ${ALL_MODELS.join(',')}] [--json out.json]`);
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const opts = { quick: false, engines: [...ALL_ENGINES] as string[], models: [...ALL_MODELS], json: '' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') usage(`${flag} needs a value`);
      return v;
    };
    const list = <T extends string>(allowed: readonly T[]): T[] => {
      const items = value().split(',').map((s) => s.trim()).filter(Boolean);
      for (const item of items) if (!allowed.includes(item as T)) usage(`unknown ${flag.slice(2)} '${item}' (expected one of ${allowed.join(', ')})`);
      return allowed.filter((a) => items.includes(a)); // canonical order
    };
    if (flag === '--quick') opts.quick = true;
    else if (flag === '--engines') opts.engines = list(ALL_ENGINES);
    else if (flag === '--models') opts.models = list(ALL_MODELS);
    else if (flag === '--json') opts.json = value();
    else if (flag === '--help' || flag === '-h') usage('Training/prediction throughput benchmark.');
    else usage(`unknown option '${argv[i]}'`);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const wantsGpu = opts.engines.includes('webgpu') || opts.engines.includes('tfjs-webgpu');

// ---------------------------------------------------------------------------------------------
// Dawn's environment. Without a system Vulkan loader, Dawn (npm `webgpu`) needs the loader and
// SwiftShader that Debian's chromium package ships, and LD_LIBRARY_PATH is only read when a process
// starts: restart this script once with it set, as vitest.config.ts does for the test workers.
// A VK_ICD_FILENAMES / VK_DRIVER_FILES set by the caller is kept (a real Vulkan GPU).

const SWIFTSHADER_DIR = process.env.SWIFTSHADER_DIR || '/usr/lib/chromium';
if (wantsGpu && !process.env.WEBGPU_KERAS_BENCH_CHILD && existsSync(join(SWIFTSHADER_DIR, 'libvulkan.so.1'))) {
  const paths = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  const env: NodeJS.ProcessEnv = { ...process.env, WEBGPU_KERAS_BENCH_CHILD: '1' };
  if (!paths.includes(SWIFTSHADER_DIR)) env.LD_LIBRARY_PATH = [SWIFTSHADER_DIR, ...paths].join(':');
  const icd = join(SWIFTSHADER_DIR, 'vk_swiftshader_icd.json');
  if (!env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && existsSync(icd)) env.VK_ICD_FILENAMES = icd;
  if (env.LD_LIBRARY_PATH !== process.env.LD_LIBRARY_PATH || env.VK_ICD_FILENAMES !== process.env.VK_ICD_FILENAMES) {
    // vite-node leaves [node, vite-node, ...args] in process.argv: put this file back in. Plain node
    // (the bundled train.mjs of bench/bundle.config.mjs) leaves [node, this file, ...args].
    const self = fileURLToPath(import.meta.url);
    const script = process.argv[1] === self ? [self] : [process.argv[1], self];
    const child = spawnSync(process.execPath, [...script, ...process.argv.slice(2)], { env, stdio: 'inherit' });
    process.exit(child.status ?? 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Budgets: each cell (engine × model) trains for roughly CELL_SECONDS after its warm-up.

const CFG = opts.quick
  ? { runs: 1, runSeconds: 0.8, cellSeconds: 2, warmSeconds: 0.3, predictRunSeconds: 0.2, predictCellSeconds: 1 }
  : { runs: 3, runSeconds: 2.5, cellSeconds: 9, warmSeconds: 1, predictRunSeconds: 0.4, predictCellSeconds: 3 };

const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US');
const fmt = (x: number, digits = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0];

async function seconds(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Machine, data, GPU

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model.trim() ?? 'unknown',
  cores: cpus.length,
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  date: new Date().toISOString(),
  loadAtStart: os.loadavg(),
};
console.log(`# webgpu-keras training benchmark${opts.quick ? ' (--quick)' : ''}`);
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}`);
console.log(`date: ${machine.date}; load average (1/5/15 min) at start: ${load()}`);

const mnist = loadMnist(8000, 2000, 0);
const data: BenchData = { xTrain: mnist.xTrain, yTrain: mnist.yTrain, xTest: mnist.xTest, trainCount: mnist.trainCount, testCount: mnist.testCount };
console.log(`data: ${fmtInt(data.trainCount)} training digits, ${fmtInt(data.testCount)} for predict (batch ${PREDICT_BATCH})`);

// Dawn's GPU object must stay referenced while any of its devices lives (module scope, till exit).
let gpu: GPU | null = null;
let gpuProblem = '';
let adapterText = '';
if (wantsGpu) {
  try {
    const specifier = 'webgpu'; // optional dependency, loaded only here
    const dawn = (await import(/* @vite-ignore */ specifier)) as { create(flags: string[]): GPU; globals: object };
    for (const [key, value] of Object.entries(dawn.globals)) {
      if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
    }
    gpu = dawn.create((process.env.WEBGPU_DAWN_FLAGS ?? '').split(/\s+/).filter(Boolean));
    // TF.js WebGPU registers itself at import time only when navigator.gpu exists.
    if (!('navigator' in globalThis) || !globalThis.navigator) {
      Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    } else if (!globalThis.navigator.gpu) {
      Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
    }
    // TF.js asks for a high-performance adapter: describe that one.
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      gpuProblem = 'Dawn found no WebGPU adapter (requestAdapter() returned null; see bench/README.md for Vulkan)';
      gpu = null;
    } else {
      const i = adapter.info;
      adapterText = [i.description, `vendor ${i.vendor || '?'}`, `architecture ${i.architecture || '?'}`, i.device ? `device ${i.device}` : '']
        .filter(Boolean)
        .join(', ');
    }
  } catch (e) {
    gpuProblem = `could not load Dawn (npm package "webgpu"): ${errorLine(e)}`;
    gpu = null;
  }
  console.log(`WebGPU adapter (Dawn, shared by both WebGPU engines): ${gpuProblem ? `none (${gpuProblem})` : adapterText}`);
  if (/swiftshader/i.test(adapterText)) console.log('note: SwiftShader is a CPU implementation of Vulkan: its numbers are not GPU performance.');
}

// ---------------------------------------------------------------------------------------------
// Engines

interface Slot {
  id: string;
  engine?: Engine;
  /** Why the engine cannot run, when it cannot. */
  unavailable?: string;
}

const slots: Slot[] = [];
let tf: typeof import('@tensorflow/tfjs') | null = null;
let tfProblem = '';
if (opts.engines.some((e) => e.startsWith('tfjs-'))) {
  try {
    // The tfjs-cpu "install tfjs-node" banner is noise here.
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!args.some((a) => String(a).includes('tfjs-node'))) warn(...args);
    };
    tf = await import('@tensorflow/tfjs');
  } catch (e) {
    tfProblem = `could not load @tensorflow/tfjs: ${errorLine(e)}`;
  }
}
const require = createRequire(import.meta.url);

for (const id of opts.engines) {
  const slot: Slot = { id };
  slots.push(slot);
  try {
    if (id === 'cpu' || id === 'wasm' || id === 'webgpu') {
      if (id === 'webgpu' && !gpu) throw new Error(gpuProblem || 'no WebGPU');
      slot.engine = kerasEngine(keras, id, gpu);
      continue;
    }
    if (!tf) throw new Error(tfProblem);
    if (id === 'tfjs-cpu') {
      slot.engine = tfjsEngine(tf, 'cpu');
    } else if (id === 'tfjs-wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the wasm binaries are read from the file system: point at the package's dist folder.
      wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
      slot.engine = tfjsEngine(tf, 'wasm', () => {
        const simd = tf!.env().getBool('WASM_HAS_SIMD_SUPPORT');
        const threads = tf!.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
        return `SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'}`;
      });
    } else if (id === 'tfjs-webgpu') {
      if (!gpu) throw new Error(gpuProblem || 'no WebGPU');
      await import('@tensorflow/tfjs-backend-webgpu');
      slot.engine = tfjsEngine(tf, 'webgpu', () => {
        const info = (tf!.backend() as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
        return info ? `TF.js adapter: vendor ${info.vendor || '?'}, architecture ${info.architecture || '?'}` : '';
      });
    }
  } catch (e) {
    slot.unavailable = errorLine(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Measurement

interface TrainResult {
  samplesPerSec: number;
  runs: number[];
  samplesPerRun: number;
  stepsPerRun: number;
  epochs: number;
  warmupSeconds: number;
}
interface PredictResult {
  samplesPerSec: number;
  runs: number[];
  callsPerRun: number;
}
interface Cell {
  engine: string;
  model: ModelName;
  train?: TrainResult;
  predict?: PredictResult;
  error?: string;
  load: number[];
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** `samples` training digits × `epochs` for about `steps` batches. */
function plan(spec: ModelSpec, steps: number): { samples: number; epochs: number; steps: number } {
  const perEpoch = Math.ceil(data.trainCount / spec.batchSize);
  if (steps < perEpoch) return { samples: steps * spec.batchSize, epochs: 1, steps };
  const epochs = Math.max(1, Math.round(steps / perEpoch));
  return { samples: data.trainCount, epochs, steps: perEpoch * epochs };
}

async function measureTrain(session: Awaited<ReturnType<Engine['build']>>, spec: ModelSpec): Promise<TrainResult> {
  const b = spec.batchSize;
  // Warm-up: a one-step fit compiles and allocates. A second one-step fit gives the step time.
  let warmupSeconds = await seconds(() => session.fit(b, 1));
  let stepSeconds = await seconds(() => session.fit(b, 1));
  const rates: number[] = [];
  let p = plan(spec, 1);
  if (stepSeconds * 2 >= CFG.runSeconds) {
    // Slow engine (SwiftShader, wide model on TF.js cpu): timed runs are single steps, and the
    // second one-step fit above is the first of them.
    rates.push(b / stepSeconds);
  } else {
    // Fast engine: warm up further (JIT tiers, caches) for about warmSeconds, and re-estimate.
    warmupSeconds += stepSeconds;
    const warmSteps = Math.floor(CFG.warmSeconds / stepSeconds);
    if (warmSteps >= 2) {
      const w = plan(spec, Math.min(warmSteps, Math.ceil(data.trainCount / b)));
      const t = await seconds(() => session.fit(w.samples, w.epochs));
      warmupSeconds += t;
      stepSeconds = t / w.steps;
    }
    p = plan(spec, clamp(Math.round(CFG.runSeconds / stepSeconds), 1, 100_000));
  }
  const runs = clamp(Math.floor(CFG.cellSeconds / (p.steps * stepSeconds)), 1, CFG.runs);
  while (rates.length < runs) {
    const t = await seconds(() => session.fit(p.samples, p.epochs));
    rates.push((p.samples * p.epochs) / t);
  }
  return { samplesPerSec: median(rates), runs: rates, samplesPerRun: p.samples * p.epochs, stepsPerRun: p.steps, epochs: p.epochs, warmupSeconds };
}

async function measurePredict(session: Awaited<ReturnType<Engine['build']>>): Promise<PredictResult> {
  await session.predict(); // warm-up
  const first = await seconds(() => session.predict());
  const callsPerRun = clamp(Math.round(CFG.predictRunSeconds / first), 1, 1000);
  const runs = first >= CFG.predictCellSeconds ? 0 : clamp(Math.floor(CFG.predictCellSeconds / (callsPerRun * first)), 1, CFG.runs);
  const rates: number[] = runs === 0 ? [data.testCount / first] : [];
  for (let r = 0; r < runs; r++) {
    const t = await seconds(async () => {
      for (let c = 0; c < callsPerRun; c++) await session.predict();
    });
    rates.push((data.testCount * callsPerRun) / t);
  }
  return { samplesPerSec: median(rates), runs: rates, callsPerRun: runs === 0 ? 1 : callsPerRun };
}

const cells: Cell[] = [];
const engineNotes = new Map<string, string>();
const benchStart = performance.now();

for (const slot of slots) {
  const label = labelOf(slot.id);
  if (!slot.engine) {
    console.log(`\n${label}: unavailable (${slot.unavailable})`);
    continue;
  }
  try {
    const note = await slot.engine.start();
    if (note) engineNotes.set(slot.id, note);
    console.log(`\n${label}${note ? ` (${note})` : ''}; load average ${load()}`);
  } catch (e) {
    slot.unavailable = errorLine(e);
    console.log(`\n${label}: unavailable (${slot.unavailable})`);
    continue;
  }
  for (const name of opts.models) {
    const spec = MODELS[name];
    const cell: Cell = { engine: slot.id, model: name, load: os.loadavg() };
    cells.push(cell);
    let session: Awaited<ReturnType<Engine['build']>> | null = null;
    try {
      session = await slot.engine.build(spec, data);
      cell.train = await measureTrain(session, spec);
      const t = cell.train;
      console.log(
        `  ${name} train: ${fmtInt(t.samplesPerSec)} samples/s (median of ${t.runs.length}: ${t.runs.map(fmtInt).join(' / ')}; ` +
          `${t.stepsPerRun} step${t.stepsPerRun === 1 ? '' : 's'} of ${spec.batchSize} per run${t.epochs > 1 ? `, ${t.epochs} epochs` : ''}; warm-up ${fmt(t.warmupSeconds)} s)`,
      );
      if (name === 'mnist') {
        cell.predict = await measurePredict(session);
        const p = cell.predict;
        console.log(`  ${name} predict: ${fmtInt(p.samplesPerSec)} samples/s (median of ${p.runs.length}: ${p.runs.map(fmtInt).join(' / ')}; ${p.callsPerRun} × 2,000 per run)`);
      }
    } catch (e) {
      cell.error = errorLine(e);
      console.log(`  ${name}: failed (${cell.error})`);
    } finally {
      session?.dispose();
    }
  }
}
const totalSeconds = (performance.now() - benchStart) / 1000;

// ---------------------------------------------------------------------------------------------
// Report

const cellOf = (engine: string, model: ModelName): Cell | undefined => cells.find((c) => c.engine === engine && c.model === model);
const trainRate = (engine: string, model: ModelName): number | undefined => cellOf(engine, model)?.train?.samplesPerSec;
const predictRate = (engine: string): number | undefined => cellOf(engine, 'mnist')?.predict?.samplesPerSec;
const wideMacs = weightMacs(MODELS.wide);
const gflops = (rate: number | undefined): number | undefined => (rate === undefined ? undefined : (6 * wideMacs * rate) / 1e9);
const show = (x: number | undefined, f: (x: number) => string = fmtInt): string => (x === undefined ? '–' : f(x));
const cellNote = (engine: string, model: ModelName): string => {
  const c = cellOf(engine, model);
  if (!c) return '';
  if (c.error) return `${model}: failed`;
  const t = c.train!;
  return `${model} ${t.runs.length}×${t.stepsPerRun}`;
};

console.log(`\n## Results (${opts.quick ? '--quick: 1 run per cell' : 'median of up to 3 timed runs per cell'}; ${fmt(totalSeconds, 0)} s; load average at end ${load()})\n`);
const hasMnist = opts.models.includes('mnist');
const hasWide = opts.models.includes('wide');
const header = ['engine'];
if (hasMnist) header.push('MNIST train samples/s');
if (hasWide) header.push('wide train samples/s', 'wide train GFLOP/s');
if (hasMnist) header.push('MNIST predict samples/s');
header.push('runs × steps');
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map((_, i) => (i === 0 || i === header.length - 1 ? '---' : '---:')).join('|')}|`);
for (const slot of slots) {
  const label = labelOf(slot.id);
  if (slot.unavailable !== undefined) {
    console.log(`| ${label} | unavailable: ${slot.unavailable.replace(/\|/g, '\\|')} |${' |'.repeat(header.length - 2)}`);
    continue;
  }
  const row = [label];
  if (hasMnist) row.push(show(trainRate(slot.id, 'mnist')));
  if (hasWide) row.push(show(trainRate(slot.id, 'wide')), show(gflops(trainRate(slot.id, 'wide')), (g) => fmt(g, 2)));
  if (hasMnist) row.push(show(predictRate(slot.id)));
  row.push(opts.models.map((m) => cellNote(slot.id, m)).filter(Boolean).join(', '));
  console.log(`| ${row.join(' | ')} |`);
}
if (hasWide) {
  console.log(
    `\nwide GFLOP/s = 6 × ${fmtInt(wideMacs)} × samples/s / 1e9, where ${fmtInt(wideMacs)} = 784·1024 + 1024·1024 + 1024·10 weights ` +
      '(2 FLOP per weight forward, 4 backward; biases, activations, loss and optimizer left out).',
  );
}

// Ratios: this library's engines over each TF.js engine.
const ran = (id: string): boolean => slots.some((s) => s.id === id && s.unavailable === undefined);
const ours = ['cpu', 'wasm', 'webgpu'].filter(ran);
const theirs = ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgpu'].filter(ran);
type Ratios = Record<string, number | undefined>;
const ratios: Record<string, Ratios> = {};
const ratio = (a: number | undefined, b: number | undefined): number | undefined => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);
if (ours.length > 0 && theirs.length > 0) {
  const cols: [string, (id: string) => number | undefined][] = [];
  if (hasMnist) cols.push(['MNIST train', (id) => trainRate(id, 'mnist')]);
  if (hasWide) cols.push(['wide train', (id) => trainRate(id, 'wide')]);
  if (hasMnist) cols.push(['MNIST predict', (id) => predictRate(id)]);
  console.log(`\n| ratio | ${cols.map(([c]) => c).join(' | ')} |`);
  console.log(`|---|${cols.map(() => '---:').join('|')}|`);
  for (const a of ours) {
    for (const b of theirs) {
      const key = `webgpu-keras ${a} / tfjs ${b.slice(5)}`;
      ratios[key] = Object.fromEntries(cols.map(([c, f]) => [c, ratio(f(a), f(b))]));
      console.log(`| ${key} | ${cols.map(([c]) => show(ratios[key][c], (r) => `${fmt(r, 2)}×`)).join(' | ')} |`);
    }
  }
}

// The issue's targets.
const target = (what: string, r: number | undefined, goal: number): void => {
  if (r === undefined) return;
  console.log(`target: ${what} ≥ ${goal}×: ${fmt(r, 2)}× — ${r >= goal ? 'met' : 'not met'}`);
};
console.log('');
target('webgpu-keras cpu / tfjs cpu, MNIST training', ratio(trainRate('cpu', 'mnist'), trainRate('tfjs-cpu', 'mnist')), 3);
target('webgpu-keras webgpu / tfjs webgpu (same adapter), MNIST training', ratio(trainRate('webgpu', 'mnist'), trainRate('tfjs-webgpu', 'mnist')), 2);
target('webgpu-keras webgpu / tfjs webgpu (same adapter), wide training', ratio(trainRate('webgpu', 'wide'), trainRate('tfjs-webgpu', 'wide')), 2);
if (/swiftshader/i.test(adapterText) && (ran('webgpu') || ran('tfjs-webgpu'))) {
  console.log('note: the WebGPU rows ran on SwiftShader (CPU Vulkan): they are not GPU performance.');
}
console.log(`load average (1/5/15 min) at end: ${load()} on ${machine.cores} cores (other work on the machine slows every row)`);

if (opts.json) {
  const out = {
    machine: { ...machine, loadAtEnd: os.loadavg() },
    adapter: adapterText || null,
    adapterProblem: gpuProblem || null,
    options: { quick: opts.quick, engines: opts.engines, models: opts.models, budgets: CFG },
    models: Object.fromEntries(opts.models.map((m) => [m, { ...MODELS[m], weightMacsPerSample: weightMacs(MODELS[m]) }])),
    engines: slots.map((s) => ({ id: s.id, label: labelOf(s.id), unavailable: s.unavailable ?? null, note: engineNotes.get(s.id) ?? null })),
    cells,
    ratios,
    totalSeconds,
  };
  writeFileSync(opts.json, JSON.stringify(out, null, 2) + '\n');
  console.log(`raw numbers written to ${opts.json}`);
}

// Dawn and TF.js may keep handles open: end here.
process.exit(0);
