/**
 * Whether Dawn will find a Vulkan loader, asked without Dawn: on Linux Dawn `dlopen`s `libvulkan.so.1`
 * and, when that fails, prints a warning with its source location to stderr (which a library cannot
 * capture in-process). `process.dlopen` makes the same `dlopen` call quietly: a library that loads but is
 * no Node addon fails with "did not self-register", a missing one with the loader's own message.
 */

/** The dynamic loader's message when no Vulkan loader can be opened (Linux), else null. */
export function missingVulkanLoader(): string | null {
  if (typeof process === 'undefined' || process.platform !== 'linux' || typeof process.dlopen !== 'function') return null;
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, 'libvulkan.so.1');
  } catch (error) {
    const message = String((error as Error).message ?? error);
    return /cannot open shared object file/.test(message) ? message : null;
  }
  return null;
}
