import type { BackendMemory } from '../backend/backend';
import { currentBackend, startedBackends } from '../backend/registry';

/** What `keras.memory()` reports. */
export interface MemoryInfo extends BackendMemory {
  /** Name of the current backend, whose numbers are `numTensors`/`numBytes`. */
  backend: string;
  /** Live tensors and bytes of every backend started so far (GPU buffers on WebGPU). */
  backends: Record<string, BackendMemory>;
}

/** Live tensors and bytes: of the current backend, and per started backend. */
export function memory(): MemoryInfo {
  const backend = currentBackend();
  const backends: Record<string, BackendMemory> = {};
  for (const [name, b] of startedBackends()) backends[name] = b.memory();
  return { backend: backend.name, ...backend.memory(), backends };
}
