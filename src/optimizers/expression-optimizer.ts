/**
 * An optimizer rebuilt from a saved rule (a model saved with `includeExpressions` whose optimizer class is
 * not registered where it is loaded): its `updateStep` is the stored expressions with the step's values
 * put in, so it trains exactly as the original did, with the same base-class clipping, weight decay and
 * learning rate (schedule included).
 */
import { invalid } from '../errors';
import { substitute, type Expr } from '../expr/expr';
import { Optimizer, type OptimizerArgs, type UpdateResult, type UpdateValues } from './optimizer';

/** What a saved rule holds. */
export interface SavedRule {
  slots: string[];
  /** The new variable, then each slot, over inputs variable, gradient, the slots, and the step's scalars. */
  outputs: Expr[];
  initialValues: number[];
}

export class ExpressionOptimizer extends Optimizer {
  static override readonly className: string = 'ExpressionOptimizer';

  constructor(private readonly saved: SavedRule, args: OptimizerArgs = {}) {
    super(args);
    if (saved.outputs.length !== saved.slots.length + 1 || saved.initialValues.length !== saved.slots.length) {
      invalid({ what: 'saved optimizer rule', where: this.name, expected: `the variable and ${saved.slots.length} slots`, received: `${saved.outputs.length} expressions` });
    }
  }

  override slotNames(): string[] {
    return [...this.saved.slots];
  }

  override updateStep(values: UpdateValues): UpdateResult {
    const outputs = substitute(this.saved.outputs, (n) => (n.op === 'input' ? values[n.name] : undefined));
    return { variable: outputs[0], ...Object.fromEntries(this.saved.slots.map((s, i) => [s, outputs[i + 1]])) };
  }

  protected override slotInitialValue(slot: string): number {
    return this.saved.initialValues[this.saved.slots.indexOf(slot)];
  }
}
