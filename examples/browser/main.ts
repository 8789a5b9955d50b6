/**
 * The teaching page: build a multilayer perceptron from the form, train it on a 2-D toy problem, and
 * watch the loss, the accuracy and the decision boundary change while it trains. The library is imported
 * from source; Vite serves it, WGSL shaders included.
 *
 *   npm run example:browser      (= npx vite examples/browser)
 */
import * as keras from '../../src';
import { toy, type ToyName } from './toys';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const field = (id: string) => $<HTMLInputElement | HTMLSelectElement>(id).value;
/** A number field; an empty one reads as NaN so that the library, not the page, says what is wrong. */
const numberField = (id: string) => (field(id).trim() === '' ? NaN : Number(field(id)));

interface Settings {
  dataset: ToyName;
  validationSplit: number;
  hiddenLayers: number;
  units: number;
  activation: string;
  /** The formula typed for a custom activation (used when `activation` is `'custom'`). */
  customActivation: string;
  dropout: number;
  batchNorm: boolean;
  head: 'softmax' | 'sigmoid';
  backend: string;
  optimizer: 'adam' | 'sgd';
  learningRate: number;
  epochs: number;
  batchSize: number;
}

function readSettings(): Settings {
  return {
    dataset: field('dataset') as ToyName,
    validationSplit: numberField('validationSplit'),
    hiddenLayers: numberField('hiddenLayers'),
    units: numberField('units'),
    activation: field('activation'),
    customActivation: field('customActivation'),
    dropout: numberField('dropout'),
    batchNorm: $<HTMLInputElement>('batchNorm').checked,
    head: field('head') as Settings['head'],
    backend: field('backend'),
    optimizer: field('optimizer') as Settings['optimizer'],
    learningRate: numberField('learningRate'),
    epochs: numberField('epochs'),
    batchSize: numberField('batchSize'),
  };
}

/** Input → (Dense → [BatchNormalization] → [Dropout]) × hidden layers → the output head. */
function buildModel(s: Settings): keras.Sequential {
  if (!Number.isInteger(s.hiddenLayers) || s.hiddenLayers < 0 || s.hiddenLayers > 4) {
    throw new RangeError(`Invalid hidden layers: expected an integer in [0, 4]. Received: ${field('hiddenLayers') || 'nothing'}.`);
  }
  // A custom formula is parsed (never evaluated as JavaScript) into an expression; its derivative is derived.
  const activation = s.activation === 'custom' ? keras.activations.fromFormula(s.customActivation, 'custom') : (s.activation as keras.activations.ActivationString);
  showFormula(activation);
  const model = new keras.Sequential([new keras.layers.Input({ shape: [2] })]);
  for (let i = 0; i < s.hiddenLayers; i++) {
    model.add(new keras.layers.Dense(s.units, { activation }));
    if (s.batchNorm) model.add(new keras.layers.BatchNormalization());
    if (s.dropout !== 0) model.add(new keras.layers.Dropout(s.dropout));
  }
  model.add(s.head === 'softmax' ? new keras.layers.Dense(2, { activation: 'softmax' }) : new keras.layers.Dense(1, { activation: 'sigmoid' }));
  const optimizer = s.optimizer === 'adam' ? new keras.optimizers.Adam({ learningRate: s.learningRate }) : new keras.optimizers.SGD({ learningRate: s.learningRate });
  const loss = s.head === 'softmax' ? 'sparse_categorical_crossentropy' : 'binary_crossentropy';
  model.compile({ optimizer, loss, metrics: ['accuracy'] });
  return model;
}

/** Show the activation's formula and the derivative the library derived for it. */
function showFormula(activation: keras.activations.ActivationIdentifier): void {
  const { forward, derivative } = keras.activations.describe(activation);
  const info = $('formulaInfo');
  info.textContent = `f(x) = ${forward};  f′(x) = ${derivative}`;
  info.hidden = false;
}

/** Select the backend; under 'auto', also the library's one-line reason when it did not pick WebGPU. */
async function chooseBackend(choice: string): Promise<{ name: string; fallback: string }> {
  const name = await keras.setBackend(choice as keras.BackendName);
  return { name, fallback: choice === 'auto' ? (keras.backendFallbackReason() ?? '') : '' };
}

const format = (v: number | undefined) => (v === undefined ? '–' : Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function showReadout(epoch: string, logs: keras.callbacks.Logs = {}): void {
  $('epoch').textContent = epoch;
  $('loss').textContent = format(logs.loss);
  $('accuracy').textContent = format(logs.accuracy);
  $('valLoss').textContent = format(logs.val_loss);
  $('valAccuracy').textContent = format(logs.val_accuracy);
}

function showError(error: unknown): void {
  const box = $('error');
  box.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  box.hidden = false;
}

/** The page's state: on `<body data-state>` (styles and tests read it) and as words in the status badge. */
function setState(state: 'starting' | 'training' | 'done' | 'stopped' | 'error', words: string): void {
  document.body.dataset.state = state;
  $('status').textContent = words;
  const busy = state === 'starting' || state === 'training';
  $<HTMLButtonElement>('train').disabled = busy;
  $<HTMLButtonElement>('stop').disabled = !busy;
}

let model: keras.Sequential | null = null;
let stopRequested = false;

async function train(): Promise<void> {
  setState('starting', 'Starting…');
  $('error').hidden = true;
  showReadout('–');
  $('elapsed').textContent = '–';
  stopRequested = false;
  let ticker = 0;
  try {
    const s = readSettings();
    $('backendInfo').textContent = `Backend: starting ${s.backend}…`;
    const { name, fallback } = await chooseBackend(s.backend);
    $('backendInfo').replaceChildren('Backend: ', Object.assign(document.createElement('b'), { textContent: name }), s.backend === 'auto' ? ' (chosen by auto)' : '');
    if (fallback) $('backendInfo').append(Object.assign(document.createElement('span'), { className: 'fallback', textContent: fallback }));

    const data = toy(s.dataset);
    model?.dispose();
    model = null; // stays null if the new model cannot be built
    const m = (model = buildModel(s));
    const lines: string[] = [];
    m.summary((line) => lines.push(line));
    $('summary').textContent = lines.join('\n');

    // fit's History fills in as epochs end; this History-like record is what the live chart draws.
    const history = { history: {} as Record<string, number[]>, epoch: [] as number[] };
    const started = performance.now();
    // A clock that runs while training shows the page is not frozen: fit yields to the event loop.
    ticker = window.setInterval(() => ($('elapsed').textContent = seconds(performance.now() - started)), 100);
    const boundary = (resolution: number) =>
      keras.plotDecisionBoundary(m, data.x, data.y, { container: '#boundary', resolution, classNames: data.classNames, width: 520, height: 430 });
    let lastBoundary = 0;
    const live = new keras.callbacks.LambdaCallback({
      onEpochEnd: async (epoch, logs = {}) => {
        if (stopRequested) m.stopTraining = true; // fit clears the flag when it starts: a Stop during set-up counts here
        for (const [key, value] of Object.entries(logs)) (history.history[key] ??= []).push(value);
        history.epoch.push(epoch);
        showReadout(`${epoch + 1} / ${s.epochs}`, logs);
        await keras.plotHistory(history, { container: '#history', columns: 1, panelWidth: 480, panelHeight: 215 });
        // The boundary predicts a grid: redrawn a few times a second, not every epoch.
        if (performance.now() - lastBoundary > 300) {
          await boundary(60);
          lastBoundary = performance.now();
        }
      },
    });
    setState('training', 'Training…');
    await m.fit(data.x, data.y, { epochs: s.epochs, batchSize: s.batchSize, validationSplit: s.validationSplit, verbose: 0, callbacks: [live] });
    window.clearInterval(ticker);
    const took = seconds(performance.now() - started);
    $('elapsed').textContent = took;
    if (history.epoch.length > 0) await boundary(100);
    if (stopRequested) setState('stopped', `Stopped after epoch ${history.epoch.length}`);
    else setState('done', `Done in ${took}`);
  } catch (error) {
    window.clearInterval(ticker);
    showError(error);
    setState('error', 'Failed: see the message');
  }
}

$('controls').addEventListener('submit', (event) => {
  event.preventDefault();
  void train();
});
$('stop').addEventListener('click', () => {
  stopRequested = true;
  if (model) model.stopTraining = true;
});
// The formula field shows for the custom activation only.
$('activation').addEventListener('change', () => ($('customField').hidden = field('activation') !== 'custom'));
// Each optimizer has its own good step size on these problems.
$('optimizer').addEventListener('change', () => {
  $<HTMLInputElement>('learningRate').value = field('optimizer') === 'adam' ? '0.01' : '0.1';
});
window.addEventListener('unhandledrejection', (event) => showError(event.reason));
