import { currentBackend } from '../backend/registry';
import type { BackendMemory } from '../backend/backend';

/** Live tensors and bytes of the current backend (`numTensors`, `numBytes`, `backend`). */
export function memory(): BackendMemory & { backend: string } {
  const backend = currentBackend();
  return { backend: backend.name, ...backend.memory() };
}
