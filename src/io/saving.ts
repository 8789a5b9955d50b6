/**
 * `keras.saving`: saving and loading models, and registering custom objects by Keras's
 * `register_keras_serializable` convention (`'package>name'`): a registered function or class is saved by
 * its key and found by it when a model is loaded.
 */
export { saveModel, loadModel, loadWeights } from './index';
export {
  registerKerasSerializable,
  registeredName as getRegisteredName,
  registeredObject as getRegisteredObject,
  type RegisterOptions,
} from './object-registration';
