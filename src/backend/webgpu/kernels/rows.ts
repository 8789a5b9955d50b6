/**
 * Losses and metrics on the device: shaders/rows.wgsl (one row per invocation; per-row values summed into
 * the accumulator by reduce.wgsl, one deterministic add per batch, nothing read back) and
 * shaders/columns.wgsl (per-column sums), each with the program's generated WGSL spliced in.
 */
import { uniformFields, wgslFunction, wgslProgram } from '../../../expr/emit-wgsl';
import { constant, type Expr } from '../../../expr/expr';
import type { ColumnProgram, MetricProgram, RowProgram } from '../../../expr/functions';
import { uniformValues, type Program } from '../../../expr/program';
import type { GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';
import { accumulateSum } from './reduce';

const LANES = ['x', 'y', 'z', 'w'] as const;
const pad4 = (es: readonly Expr[]) => [...es, ...Array.from({ length: 4 - es.length }, () => constant(0))];

/** Generated functions of a program, their uniform fields and how to fill them. */
interface Generated {
  readonly defines: Record<string, string | boolean | number>;
  readonly programs: readonly Program[];
  readonly fields: number;
}

const cache = new WeakMap<object, Generated>();

/** Several generated functions sharing one uniform struct (each program's uniforms after the last's). */
function generate(parts: [Program, string, string[]][]): { code: string; fields: number } {
  let offset = 0;
  const code = parts.map(([program, name, params]) => {
    const text = wgslFunction(program, { name, params }, offset);
    offset += program.uniforms.length;
    return text;
  });
  return { code: code.join('\n\n'), fields: offset };
}

function rowCode(program: RowProgram): Generated {
  const hit = cache.get(program);
  if (hit) return hit;
  const kinds = program.reductions.map((r) => r.op);
  const elements = wgslProgram(pad4(program.reductions.map((r) => r.element)));
  const result = wgslProgram([program.result]);
  const resultGrads = wgslProgram(pad4(program.differentiable ? program.resultGrads : []));
  const elementGrads = wgslProgram(pad4(program.differentiable ? program.elementGrads : []));
  const rowInputs = ['r0', 'r1', 'r2', 'r3', 'label'];
  const parts: [Program, string, string[]][] = [
    [elements, 'row_elements', ['y_pred', 'y_true']],
    [result, 'row_result', rowInputs],
    [resultGrads, 'row_result_grads', rowInputs],
    [elementGrads, 'row_element_grads', ['y_pred', 'y_true']],
  ];
  const { code, fields } = generate(parts);
  const lane = (j: number) => LANES[j];
  const accumulate = kinds.map((k, j) =>
    k === 'sum' || k === 'mean' ? `acc.${lane(j)} += e.${lane(j)};` : `if (e.${lane(j)} > acc.${lane(j)}) { acc.${lane(j)} = e.${lane(j)}; at.${lane(j)} = c; }`,
  );
  const finish = kinds.map((k, j) => (k === 'mean' ? `acc.${lane(j)} = acc.${lane(j)} / cols_f;` : k === 'argmax' ? `acc.${lane(j)} = f32(at.${lane(j)});` : ''));
  const weight = LANES.map((l, j) => (j >= kinds.length ? '0.0' : kinds[j] === 'mean' ? `d.${l} / cols_f` : kinds[j] === 'max' ? `select(0.0, d.${l}, c == at.${l})` : `d.${l}`));
  const generated: Generated = {
    defines: {
      CODE: code,
      UNIFORMS: uniformFields(fields),
      ACCUMULATE: accumulate.join(' ') || '_ = e;',
      FINISH: finish.join(' '),
      GRAD_WEIGHT: `vec4f(${weight.join(', ')})`,
      NORMALIZE: program.transform === 'normalize',
      LOG_SOFTMAX: program.transform === 'log_softmax',
      TRANSFORMED: program.transform !== 'none',
      SPARSE: program.target === 'sparse',
    },
    programs: parts.map((p) => p[0]),
    fields,
  };
  cache.set(program, generated);
  return generated;
}

function columnCode(program: ColumnProgram): Generated {
  const hit = cache.get(program);
  if (hit) return hit;
  const sums = wgslProgram(pad4(program.sums));
  const { code, fields } = generate([[sums, 'column_sums', ['y_pred', 'y_true']]]);
  const generated = { defines: { CODE: code, UNIFORMS: uniformFields(fields), SUMS: program.sums.length }, programs: [sums], fields };
  cache.set(program, generated);
  return generated;
}

/** The uniform values of generated functions, in struct order, rounded to float32. */
function uniforms(g: Generated, scalars: Readonly<Record<string, number>>): number[] {
  return g.programs.flatMap((p) => Array.from(uniformValues(p, scalars, new Float64Array(p.uniforms.length), true)));
}

export interface RowsCall {
  program: RowProgram;
  yPred: GpuBuffer;
  yTrue: GpuBuffer;
  rows: number;
  cols: number;
  accumulator: GpuBuffer;
  /** The gradient of the batch mean with respect to yPred (losses), or null. */
  grad: GpuBuffer | null;
}

/** Per-row values summed into `accumulator` as `[Σ, rows]`, and the gradient when asked. */
export function rows(k: Runner, call: RowsCall): void {
  const { program, rows: n, cols } = call;
  if (n === 0) return;
  const g = rowCode(program);
  const rowValues = k.temp(n * 4);
  k.run({
    source: SHADERS.rows,
    defines: { ...g.defines, HAS_GRAD: call.grad !== null },
    bindings: [
      { binding: 1, ...call.yPred },
      { binding: 2, ...call.yTrue },
      { binding: 4, ...rowValues, write: true },
      ...(call.grad ? [{ binding: 5, ...call.grad, write: true }] : []),
    ],
    format: 'uuf' + 'f'.repeat(g.fields),
    values: [n, cols, 1 / n, ...uniforms(g, { ...program.params, cols })],
    groups: k.grid1d(n),
  });
  accumulateSum(k, rowValues, n, call.accumulator, 0, n);
  k.release(rowValues);
}

/** A metric's batch into its accumulator (rows: `[Σ, count]`; columns: `[count, per column each sum]`). */
export function metric(k: Runner, program: MetricProgram, yPred: GpuBuffer, yTrue: GpuBuffer, n: number, cols: number, accumulator: GpuBuffer): void {
  if (program.form === 'rows') {
    rows(k, { program, yPred, yTrue, rows: n, cols, accumulator, grad: null });
    return;
  }
  if (n === 0) return;
  const g = columnCode(program);
  k.run({
    source: SHADERS.columns,
    defines: g.defines,
    bindings: [{ binding: 1, ...yPred }, { binding: 2, ...yTrue }, { binding: 4, ...accumulator, write: true }],
    format: 'uu' + 'f'.repeat(g.fields),
    values: [n, cols, ...uniforms(g, { ...program.params, cols })],
    groups: k.grid1d(cols),
  });
}
