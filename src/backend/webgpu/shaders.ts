/**
 * The typed index of WGSL kernels: which files of `shaders/` each one is made of, and its entry point.
 * Files are imported as text (Vite's `?raw`), so the library ships them inside its bundle.
 */
import { COUNTER_RNG_WGSL } from '../../random/counter-rng';
import activation from '../../../shaders/activation.wgsl?raw';
import columns from '../../../shaders/columns.wgsl?raw';
import batchnorm from '../../../shaders/batchnorm.wgsl?raw';
import dropout from '../../../shaders/dropout.wgsl?raw';
import elementwise from '../../../shaders/elementwise.wgsl?raw';
import math from '../../../shaders/math.wgsl?raw';
import matmulBlocked from '../../../shaders/matmul_blocked.wgsl?raw';
import matmulCommon from '../../../shaders/matmul_common.wgsl?raw';
import matmulEpilogue from '../../../shaders/matmul_epilogue.wgsl?raw';
import matmulSplitK from '../../../shaders/matmul_split_k.wgsl?raw';
import matmulTiled from '../../../shaders/matmul_tiled.wgsl?raw';
import rows from '../../../shaders/rows.wgsl?raw';
import optimizer from '../../../shaders/optimizer.wgsl?raw';
import reduce from '../../../shaders/reduce.wgsl?raw';
import softmax from '../../../shaders/softmax.wgsl?raw';
import type { KernelSource } from './pipeline-cache';

const kernel = (name: string, entryPoint: string, ...parts: string[]): KernelSource => ({ name, entryPoint, parts });

export const SHADERS = {
  /** FILL / COPY / GATHER on 32-bit words. */
  elementwise: kernel('elementwise', 'move_words', math, elementwise),
  /** Elementwise activation forward/backward (ACT_CODE, UNIFORMS, FORWARD, READS_Z, READS_Y). */
  activation: kernel('activation', 'apply_activation', math, activation),
  /** Row-wise softmax forward/backward (FORWARD). */
  softmax: kernel('softmax', 'apply_softmax', math, softmax),
  /** Register-blocked matmul with the fused epilogue (CPU adapters); SPLIT_K: partial sums of a slice of k. */
  matmulBlocked: kernel('matmul_blocked', 'matmul_blocked', math, matmulEpilogue, matmulCommon, matmulBlocked),
  /** Shared-memory tiled matmul with the fused epilogue (GPUs); SPLIT_K: partial sums of a slice of k. */
  matmulTiled: kernel('matmul_tiled', 'matmul_tiled', math, matmulEpilogue, matmulCommon, matmulTiled),
  /** Split-k's second pass: the slices' partial sums added in order, then the fused epilogue. */
  matmulSplitK: kernel('matmul_split_k', 'matmul_reduce_partials', math, matmulEpilogue, matmulSplitK),
  /** Column sums, and one-workgroup sums into accumulators or squared norms. */
  reduce: kernel('reduce', 'reduce_sum', math, reduce),
  /** Losses and per-sample metrics: per-row values and gradients (CODE: the program's generated WGSL). */
  rows: kernel('rows', 'reduce_rows', math, rows),
  /** Metrics summed per output column (CODE: the program's generated WGSL). */
  columns: kernel('columns', 'sum_columns', math, columns),
  /** Batch normalization forward (training/inference) and backward. */
  batchnorm: kernel('batchnorm', 'batch_norm', math, batchnorm),
  /** Dropout from the counter-based RNG. */
  dropout: kernel('dropout', 'apply_dropout', math, COUNTER_RNG_WGSL, dropout),
  /** Fused optimizer updates (ENTRY names the kind) and clip factors. */
  optimizer: kernel('optimizer', 'clip_scales', math, optimizer),
} as const;
