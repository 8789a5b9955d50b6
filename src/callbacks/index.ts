/** `keras.callbacks`. */
export { Callback, CallbackList, type Logs, type CallbackParams } from './callback';
export { History } from './history';
export { ProgressLogger } from '../training/progress';
