/**
 * `keras.plotHistory` and `keras.plotDecisionBoundary`: plots as SVG, drawn with no dependency. In Node
 * they are written to files (and to PNG when a rasterizer package is installed); in a browser they are
 * drawn into a given element. Both resolve to `{ svg, path?, pngPath? }`.
 */
export { plotHistory, type PlotHistoryOptions, type HistoryLike } from './history';
export { plotDecisionBoundary, type PlotDecisionBoundaryOptions } from './decision-boundary';
export type { PlotOutputOptions, PlotResult } from './output';
