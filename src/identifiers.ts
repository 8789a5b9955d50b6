/**
 * Identifier strings as types. Each kind of identifier (activation, loss, metric, optimizer,
 * initializer, backend) is the union of the names its registry accepts, in snake_case and camelCase
 * (initializers and optimizers also by their Keras class names), with the Keras aliases: editors
 * complete them, and a misspelt name does not compile. At run time the registries accept the same
 * names case-insensitively and refuse others with an UnknownIdentifierError.
 *
 * Names added at run time (a backend given to `registerBackend`, and the custom activations, losses and
 * metrics to come) are made known to the compiler by augmenting the matching interface below: its keys
 * join the union, and autocomplete.
 *
 * ```ts
 * declare module 'webgpu-keras' {
 *   interface CustomBackendNames { 'my-backend': true }
 * }
 * keras.registerBackend('my-backend', factory, 5);
 * await keras.setBackend('my-backend'); // compiles; a typo does not
 * ```
 */

/** `'sparse_categorical_crossentropy'` → `'sparseCategoricalCrossentropy'`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** A snake_case identifier and its camelCase spelling. */
export type Spellings<S extends string> = S | CamelCase<S>;

/** The string keys of an interface of custom names. */
export type CustomNames<T> = Extract<keyof T, string>;

/** Augment to add activation names (keys; the values are not used). */
export interface CustomActivationNames {}
/** Augment to add loss names (keys; the values are not used). */
export interface CustomLossNames {}
/** Augment to add metric names (keys; the values are not used). */
export interface CustomMetricNames {}
/** Augment to add optimizer names (keys; the values are not used). */
export interface CustomOptimizerNames {}
/** Augment to add initializer names (keys; the values are not used). */
export interface CustomInitializerNames {}
/** Augment to add backend names given to `registerBackend` (keys; the values are not used). */
export interface CustomBackendNames {}
