/**
 * webgpu-keras: Keras-style neural networks trained through WebGPU compute shaders, with a plain CPU
 * reference backend. Public exports only.
 */
export { Sequential, type CompileArgs, type FitArgs, type EvaluateArgs, type PredictArgs } from './models/sequential';
export * as layers from './layers';
export * as losses from './losses';
export * as metrics from './metrics';
export * as optimizers from './optimizers';
export * as initializers from './initializers';
export * as activations from './activations';
export * as callbacks from './callbacks';
export * as data from './data';
export * as errors from './errors';
export * as config from './config';
export * as utils from './utils';
export * as saving from './io/saving';
export { ops, type Value as SymbolicValue } from './expr';
export type { Expr } from './expr';
export { Tensor, type NestedArray } from './tensor/tensor';
export { tensor, type TensorLike } from './tensor/convert';
export { setBackend, getBackend, backendFallbackReason, registerBackend, type BackendOptions, type BackendName, type GpuLike, type GpuDeviceLike } from './backend/registry';
export type {
  CustomActivationNames,
  CustomLossNames,
  CustomMetricNames,
  CustomOptimizerNames,
  CustomInitializerNames,
  CustomBackendNames,
} from './identifiers';
export { memory, type MemoryInfo } from './tensor/memory';
export type { Backend, DType } from './backend/backend';
export type { WebGpuFlags } from './backend/webgpu/flags';
export { saveModel, loadModel, loadWeights, type ModelArtifacts, type SaveOptions, type LoadOptions, type IOHandler } from './io';
export { plotHistory, plotDecisionBoundary, type PlotResult } from './plot';
