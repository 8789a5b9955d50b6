import { platform, type NodeFs } from '../platform';
import { StateError, invalid, received } from '../errors';
import { checkOptions } from '../utils/options';
import { Callback, type Logs } from './callback';

/** Options of `CSVLogger`. */
export interface CSVLoggerArgs {
  /** Field separator (default `','`). */
  separator?: string;
  /** Continue an existing file instead of overwriting it; no second header is written (default false). */
  append?: boolean;
}

/** Python's float text: `nan`, `inf`, `-inf` for the non-finite values. */
function cell(value: number | string, separator: string): string {
  const text = typeof value === 'string' ? value : Number.isNaN(value) ? 'nan' : Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : '-inf';
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Stream each epoch's logs to a CSV file (Keras's `CSVLogger`), in Node only.
 *
 * The header is `epoch` then the log keys of the first epoch in sorted order; when the run validates
 * but the first epoch did not (`validationFreq > 1`), the `val_` columns are added at once. Each row is
 * the 0-based epoch and the values, `NA` for a key an epoch lacks. The file is truncated when training
 * begins unless `append` is true, in which case rows go after the existing ones and the header is
 * written only if the file was empty or absent. Rows are appended (and the file closed) at every
 * epoch end, so a crash loses nothing already logged.
 *
 * Constructing it outside Node (in a browser) throws a `StateError`.
 */
export class CSVLogger extends Callback {
  /** The file written. */
  readonly filename: string;
  /** Field separator. */
  readonly separator: string;
  /** Whether an existing file is continued. */
  readonly append: boolean;
  private keys: string[] | null = null;
  private writeHeader = true;
  private fs: NodeFs['fs'] | null = null;

  /**
   * @param filename Path of the CSV file.
   * @param args See {@link CSVLoggerArgs}.
   */
  constructor(filename: string, options: CSVLoggerArgs = {}) {
    super();
    const args = checkOptions(options, 'CSVLogger', { known: ['separator', 'append'] });
    if (!platform.isNode()) {
      throw new StateError(
        'Invalid environment for CSVLogger: expected Node.js, which can write files. Received: no Node.js (a browser?).' +
          '\nhint: collect logs with a LambdaCallback({ onEpochEnd }) or read model.history instead.',
      );
    }
    if (typeof filename !== 'string' || filename === '') {
      invalid({ what: 'filename', where: 'CSVLogger', expected: 'a non-empty file path', received: received('filename', filename) });
    }
    const separator = args.separator ?? ',';
    if (typeof separator !== 'string' || separator === '' || /["\r\n]/.test(separator)) {
      invalid({ what: 'separator', where: 'CSVLogger', expected: 'a non-empty string without quotes or line breaks', received: received('separator', separator) });
    }
    this.filename = filename;
    this.separator = separator;
    this.append = args.append ?? false;
  }

  override async onTrainBegin(): Promise<void> {
    this.fs ??= (await platform.nodeFs('CSVLogger')).fs;
    this.keys = null;
    if (this.append) {
      const size = await this.fs.stat(this.filename).then((s) => s.size, () => 0);
      this.writeHeader = size === 0;
    } else {
      await this.fs.writeFile(this.filename, '');
      this.writeHeader = true;
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.fs) await this.onTrainBegin();
    let text = '';
    if (this.keys === null) {
      const keys = Object.keys(logs).sort();
      if (this.params.doValidation === true && !keys.some((k) => k.startsWith('val_'))) {
        keys.push(...keys.filter((k) => k !== 'learning_rate').map((k) => `val_${k}`));
      }
      this.keys = keys;
      if (this.writeHeader) text += this.line(['epoch', ...keys]);
    }
    text += this.line([epoch, ...this.keys.map((k) => (k in logs ? logs[k] : 'NA'))]);
    await this.fs!.appendFile(this.filename, text);
  }

  private line(values: (number | string)[]): string {
    return `${values.map((v) => cell(v, this.separator)).join(this.separator)}\n`;
  }
}
