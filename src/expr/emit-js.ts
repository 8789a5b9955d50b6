/**
 * The JavaScript target (the CPU backend): float64 arithmetic, every op native (Math.* and the float64
 * special functions), results rounded once when stored into a Float32Array.
 *
 * Two ways to run a Program, with the same results:
 * - generated source compiled by `new Function` (a loop per kernel, as fast as hand-written code);
 * - where the page's Content-Security-Policy forbids that (no 'unsafe-eval'), closures over a register
 *   array, built from the op table's float64 meanings. Chosen automatically the first time `new Function`
 *   throws, and said once.
 * `float32` simulates a float32 target: lowered ops (lower.ts) and every result rounded to float32, so
 * the float32 lowering and derivative choices can be measured without a GPU.
 */
import { emitBody, type Syntax } from './emit';
import type { Expr } from './expr';
import { FLOAT32_PRIMITIVES } from './lower';
import { OPS } from './op-table';
import { compileProgram, type Program } from './program';
import { erf, erfc, logSigmoid, roundHalfEven, sigmoid, softplus } from './special-functions';

type FloatArray = Float32Array | Float64Array;

/** The runtime the generated code calls (`L.erf(x)`, …). */
const LIB = {
  erf, erfc, sigmoid, softplus, logSigmoid, round: roundHalfEven, fround: Math.fround,
  min: (a: number, b: number) => (b < a ? b : a),
  max: (a: number, b: number) => (b > a ? b : a),
};

const m = (f: string) => (a: string[]) => `Math.${f}(${a[0]})`;
const l = (f: string) => (a: string[]) => `L.${f}(${a.join(', ')})`;
const bin = (symbol: string) => (a: string[]) => `(${a[0]} ${symbol} ${a[1]})`;

/** The JavaScript table: one entry per op (all are native here). */
export const JS_SYNTAX: Syntax = {
  ops: {
    neg: (a) => `(-${a[0]})`, abs: m('abs'), sign: m('sign'), exp: m('exp'), expm1: m('expm1'), log: m('log'),
    log1p: m('log1p'), sqrt: m('sqrt'), rsqrt: (a) => `(1 / Math.sqrt(${a[0]}))`, tanh: m('tanh'), sigmoid: l('sigmoid'),
    softplus: l('softplus'), log_sigmoid: l('logSigmoid'), erf: l('erf'), erfc: l('erfc'), floor: m('floor'),
    ceil: m('ceil'), round: l('round'), sin: m('sin'), cos: m('cos'), tan: m('tan'), sinh: m('sinh'), cosh: m('cosh'),
    atan: m('atan'), not: (a) => `(!${a[0]})`, stop_gradient: (a) => a[0], raw_log: m('log'),
    add: bin('+'), sub: bin('-'), mul: bin('*'), div: bin('/'), pow: (a) => `Math.pow(${a[0]}, ${a[1]})`,
    raw_pow: (a) => `Math.pow(${a[0]}, ${a[1]})`, minimum: l('min'), maximum: l('max'), gt: bin('>'), ge: bin('>='),
    lt: bin('<'), le: bin('<='), eq: bin('==='), ne: bin('!=='), and: bin('&&'), or: bin('||'),
    where: (a) => `(${a[0]} ? ${a[1]} : ${a[2]})`,
  },
  constant: (v) => (Object.is(v, -0) ? '-0' : v < 0 ? `(${v})` : String(v)),
  declare: (name, code) => `const ${name} = ${code};`,
  toNumber: (c) => `(${c} ? 1 : 0)`,
  toBool: (c) => `(${c} !== 0)`,
};

const F32_SYNTAX: Syntax = { ...JS_SYNTAX, constant: (v) => JS_SYNTAX.constant(Math.fround(v)), round: (c) => `L.fround(${c})` };

// ---- eval or closures --------------------------------------------------------------------------------------

let mode: 'function' | 'closure' | null = null;
let notice: (message: string) => void = (message) => console.warn(message);

/** How generated JavaScript runs here: `'function'` (new Function) or `'closure'` (a CSP forbids eval). */
export function jsCompilation(): 'function' | 'closure' {
  if (mode === null) {
    try {
      mode = new Function('return 1')() === 1 ? 'function' : 'closure';
    } catch {
      mode = 'closure';
    }
    if (mode === 'closure') {
      notice(
        "webgpu-keras: this page's Content-Security-Policy forbids 'unsafe-eval', so the CPU backend evaluates its " +
          'generated formulas through closures instead of compiled functions (slower; WebGPU is not affected).',
      );
    }
  }
  return mode;
}

/** @internal Force a compilation mode (tests of the CSP-safe path), or back to detection with null. */
export function setJsCompilation(force: 'function' | 'closure' | null, log?: (message: string) => void): void {
  mode = force;
  if (log) notice = log;
}

// ---- element functions ----------------------------------------------------------------------------------------

/** One element: `out[k]` = output k of the inputs `args` (in the order given) and uniforms `u`. */
export interface ElementFn {
  (args: ArrayLike<number>, u: ArrayLike<number>, out: number[] | Float64Array): void;
}

/** A map over arrays: for i < n, output k of element i of each input array goes into `outputs[k][i]`. */
export interface ElementKernel {
  run(n: number, inputs: readonly FloatArray[], outputs: readonly FloatArray[], u: ArrayLike<number>): void;
  /** The generated source (also in the closure mode, where it documents what the closures compute). */
  readonly source: string;
}

export interface JsOptions {
  /** Simulate a float32 target: lowered special functions, every result rounded to float32. */
  float32?: boolean;
}

function programFor(outputs: readonly Expr[], options: JsOptions): Program {
  return compileProgram(outputs, options.float32 ? FLOAT32_PRIMITIVES : null);
}

function body(program: Program, inputs: readonly string[], options: JsOptions) {
  const syntax = options.float32 ? F32_SYNTAX : JS_SYNTAX;
  return emitBody(program, syntax, (n) => (n.op === 'input' ? `a${inputIndex(inputs, n.name)}` : `u${n.name.slice(1)}`));
}

function inputIndex(inputs: readonly string[], name: string): number {
  const i = inputs.indexOf(name);
  if (i < 0) throw new Error(`webgpu-keras bug: the expression reads '${name}', which is not among the inputs ${inputs.join(', ')}.`);
  return i;
}

/** A function computing `outputs` for one element of the named `inputs`. */
export function compileElementFn(outputs: readonly Expr[], inputs: readonly string[], options: JsOptions = {}): ElementFn & { source: string } {
  const program = programFor(outputs, options);
  const { statements, outputs: code } = body(program, inputs, options);
  const source = [
    'return function element(a, u, o) {',
    ...inputs.map((_, i) => `  const a${i} = a[${i}];`),
    ...program.uniforms.map((_, k) => `  const u${k} = u[${k}];`),
    ...statements.map((s) => `  ${s}`),
    ...code.map((c, k) => `  o[${k}] = ${c};`),
    '}',
  ].join('\n');
  const fn: ElementFn = jsCompilation() === 'function' ? new Function('L', source)(LIB) : closureFn(program, inputs, options);
  return Object.assign(fn, { source });
}

/** A loop over arrays computing `outputs` of the named `inputs` element by element. */
export function compileElementKernel(outputs: readonly Expr[], inputs: readonly string[], options: JsOptions = {}): ElementKernel {
  const program = programFor(outputs, options);
  const { statements, outputs: code } = body(program, inputs, options);
  const source = [
    'return function kernel(n, I, O, u) {',
    ...inputs.map((_, i) => `  const I${i} = I[${i}];`),
    ...code.map((_, k) => `  const O${k} = O[${k}];`),
    ...program.uniforms.map((_, k) => `  const u${k} = u[${k}];`),
    '  for (let i = 0; i < n; i++) {',
    ...inputs.map((_, i) => `    const a${i} = I${i}[i];`),
    ...statements.map((s) => `    ${s}`),
    ...code.map((c, k) => `    O${k}[i] = ${c};`),
    '  }',
    '}',
  ].join('\n');
  if (jsCompilation() === 'function') {
    const run = new Function('L', source)(LIB) as ElementKernel['run'];
    return { run, source };
  }
  const element = closureFn(program, inputs, options);
  const args = new Float64Array(inputs.length);
  const out = new Float64Array(outputs.length);
  const run: ElementKernel['run'] = (n, I, O, u) => {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < I.length; k++) args[k] = I[k][i];
      element(args, u, out);
      for (let k = 0; k < O.length; k++) O[k][i] = out[k];
    }
  };
  return { run, source };
}

/**
 * The CSP-safe path: one closure per node writing its register from its arguments' registers, through
 * the op table's float64 meaning (the same functions the generated source calls).
 */
function closureFn(program: Program, inputs: readonly string[], options: JsOptions): ElementFn {
  const index = new Map<Expr, number>();
  const regs: number[] = [];
  const preset: [number, number][] = [];
  const loads: [number, number][] = [];
  const uniformLoads: [number, number][] = [];
  const reg = (n: Expr): number => {
    let r = index.get(n);
    if (r !== undefined) return r;
    r = regs.push(0) - 1;
    index.set(n, r);
    if (n.op === 'const') preset.push([r, options.float32 ? Math.fround(n.value) : n.value]);
    else if (n.op === 'input') loads.push([r, inputIndex(inputs, n.name)]);
    else if (n.op === 'scalar') uniformLoads.push([r, Number(n.name.slice(1))]);
    return r;
  };
  const steps: ((r: Float64Array) => void)[] = [];
  for (const n of program.nodes) {
    const args = n.args.map(reg);
    const k = reg(n);
    const f = OPS[n.op].eval!;
    const round = options.float32 && !OPS[n.op].boolean ? Math.fround : (v: number) => v;
    const [a, b, c] = args;
    if (args.length === 1) steps.push((r) => void (r[k] = round(f(r[a]))));
    else if (args.length === 2) steps.push((r) => void (r[k] = round(f(r[a], r[b]))));
    else steps.push((r) => void (r[k] = round(f(r[a], r[b], r[c]))));
  }
  const outs = program.outputs.map(reg);
  const r = new Float64Array(regs.length);
  for (const [i, v] of preset) r[i] = v;
  return (args, u, out) => {
    for (const [i, j] of loads) r[i] = args[j];
    for (const [i, j] of uniformLoads) r[i] = u[j];
    for (const step of steps) step(r);
    for (let k = 0; k < outs.length; k++) out[k] = r[outs[k]];
  };
}

/** The Program the JavaScript target compiles `outputs` to (its uniforms are what the caller evaluates). */
export function jsProgram(outputs: readonly Expr[], options: JsOptions = {}): Program {
  return programFor(outputs, options);
}
