/** `keras.layers`: the layers of a Sequential MLP. */
export { Layer, type LayerArgs } from './layer';
export { Input, type InputArgs } from './input';
export { Flatten, type FlattenArgs } from './flatten';
export { Dense, type DenseArgs } from './dense';
export { Dropout, type DropoutArgs } from './dropout';
export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization';
export { Activation } from './activation';
export { Variable } from './variable';
