/**
 * A streaming CSV tokenizer (RFC 4180): text arrives in chunks of any size, records leave one at a
 * time. Quoted fields may hold delimiters, newlines and doubled quotes (`""`); lines end in `\n`,
 * `\r\n` or `\r`; blank lines are skipped. An unfinished record at the end of a chunk is carried into
 * the next one, so memory holds one chunk and one record, whatever the size of the file.
 */
import { ValueError } from '../errors';

/** How fields are separated. */
export interface CsvDialect {
  /** The one-character delimiter, or null for runs of spaces and tabs. */
  delimiter: string | null;
  /** Physical lines skipped at the start, before any record (default 0). */
  skipLines?: number;
}

/** One record: its fields as text and the line it starts on (1-based). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Tokenizes one stream; feed it chunks in order with {@link CsvScanner.records}, the last with `final`. */
export class CsvScanner {
  private line = 1;
  private skipLF = false;
  private linesToSkip: number;
  private readonly delimiter: number;
  private readonly where: string;

  constructor(dialect: CsvDialect, where: string) {
    this.delimiter = dialect.delimiter === null ? -1 : dialect.delimiter.charCodeAt(0);
    this.linesToSkip = dialect.skipLines ?? 0;
    this.where = where;
  }

  private isDelimiter(c: number): boolean {
    return this.delimiter === -1 ? c === SPACE || c === TAB : c === this.delimiter;
  }

  /**
   * The records complete in `text`; returns (as the generator's result) the offset where an unfinished
   * record starts, to be passed again at the head of the next chunk. With `final`, the end of the text
   * ends the last record.
   */
  *records(text: string, final: boolean): Generator<CsvRecord, number, undefined> {
    let pos = 0;
    if (this.skipLF && text.length > 0) {
      if (text.charCodeAt(0) === LF) pos = 1;
      this.skipLF = false;
    }
    while (pos < text.length) {
      const start = this.line;
      const end = this.linesToSkip > 0 ? this.skipLine(text, pos, final) : this.record(text, pos, final);
      if (end === null) return pos;
      pos = end.next;
      if (end.fields) yield { fields: end.fields, line: start };
    }
    return pos;
  }

  /** Ends a record at `i` (on a newline or the end of the text): where the next one starts. */
  private endLine(text: string, i: number): number {
    if (i >= text.length) return i;
    this.line++;
    if (text.charCodeAt(i) === LF) return i + 1;
    // CR: a following LF belongs to it, possibly at the head of the next chunk.
    if (i + 1 < text.length) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    this.skipLF = true;
    return i + 1;
  }

  private skipLine(text: string, pos: number, final: boolean): { fields: null; next: number } | null {
    let i = pos;
    while (i < text.length && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
    if (i === text.length && !final) return null;
    this.linesToSkip--;
    return { fields: null, next: this.endLine(text, i) };
  }

  private record(text: string, pos: number, final: boolean): { fields: string[] | null; next: number } | null {
    const len = text.length;
    const whitespace = this.delimiter === -1;
    const fields: string[] = [];
    let i = pos;
    let newlinesInside = 0;
    if (whitespace) while (i < len && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
    const lineStart = i;
    for (;;) {
      let field: string;
      if (i < len && text.charCodeAt(i) === QUOTE) {
        const quoteLine = this.line + newlinesInside;
        field = '';
        let segment = i + 1;
        for (;;) {
          const q = text.indexOf('"', segment);
          if (q === -1 || (q + 1 === len && !final)) {
            if (!final) return null;
            throw new ValueError(`Invalid CSV for ${this.where}: expected a closing quote for the field opened on line ${quoteLine}. Received: the end of the data.`);
          }
          newlinesInside += countNewlines(text, segment, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            field += text.slice(segment, q + 1);
            segment = q + 2;
          } else {
            field += text.slice(segment, q);
            i = q + 1;
            break;
          }
        }
        // Text after the closing quote, up to the delimiter, is kept (lenient, as most readers are).
        const rest = i;
        while (i < len && !this.isDelimiter(text.charCodeAt(i)) && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
        field += text.slice(rest, i);
      } else {
        const from = i;
        while (i < len) {
          const c = text.charCodeAt(i);
          if (c === LF || c === CR || this.isDelimiter(c)) break;
          i++;
        }
        field = text.slice(from, i);
      }
      fields.push(field);
      if (i >= len && !final) return null;
      if (i < len && this.isDelimiter(text.charCodeAt(i))) {
        i++;
        if (whitespace) {
          while (i < len && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
          // Trailing whitespace is not a field.
          if (i >= len && !final) return null;
          if (i >= len || text.charCodeAt(i) === LF || text.charCodeAt(i) === CR) break;
        }
        continue;
      }
      break;
    }
    this.line += newlinesInside;
    const blank = fields.length === 1 && fields[0] === '' && text.charCodeAt(lineStart) !== QUOTE;
    return { fields: blank ? null : fields, next: this.endLine(text, i) };
  }
}
