/**
 * Python's float formatting (`f"{x:.4f}"`, `f"{x:.4e}"`), so progress lines print the digits Keras
 * prints. JavaScript's `toFixed`/`toExponential` round an exact tie away from zero (0.03125 → "0.0313")
 * where Python rounds it to even ("0.0312"), and write exponents without padding ("1e-4" for "1e-04");
 * both are done here from the double's exact decimal value.
 */

/** |x| exactly, as `digits · 10^-scale` (every finite double is a finite decimal). */
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (exponent >= 0) return { digits: mantissa << BigInt(exponent), scale: 0 };
  // m / 2^k = m · 5^k / 10^k
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/** `value / 10^drop` rounded half to even (`drop` ≥ 0). */
function roundDrop(value: bigint, drop: number): bigint {
  if (drop <= 0) return value * 10n ** BigInt(-drop);
  const unit = 10n ** BigInt(drop);
  const q = value / unit;
  const twice = (value % unit) * 2n;
  return twice > unit || (twice === unit && q % 2n === 1n) ? q + 1n : q;
}

function special(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return null;
}

function sign(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** Python's `f"{x:.{decimals}f}"`. */
export function pyFixed(x: number, decimals: number): string {
  const s = special(x);
  if (s !== null) return s;
  const { digits, scale } = exactDecimal(x);
  const text = roundDrop(digits, scale - decimals).toString().padStart(decimals + 1, '0');
  const whole = text.slice(0, text.length - decimals);
  return sign(x) + (decimals > 0 ? `${whole}.${text.slice(text.length - decimals)}` : whole);
}

/** Python's `f"{x:.{decimals}e}"`: `1.2340e-04`, `0.0000e+00`. */
export function pyExp(x: number, decimals: number): string {
  const s = special(x);
  if (s !== null) return s;
  let mantissa = '0'.repeat(decimals + 1);
  let exponent = 0;
  if (x !== 0) {
    const { digits, scale } = exactDecimal(x);
    const length = digits.toString().length;
    exponent = length - 1 - scale;
    let rounded = roundDrop(digits, length - (decimals + 1)).toString();
    if (rounded.length > decimals + 1) {
      // 9.99995 → 10.0000: one digit more, so one power of ten more.
      rounded = rounded.slice(0, decimals + 1);
      exponent += 1;
    }
    mantissa = rounded;
  }
  const frac = decimals > 0 ? `.${mantissa.slice(1)}` : '';
  const exp = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${sign(x)}${mantissa[0]}${frac}e${exp}`;
}
