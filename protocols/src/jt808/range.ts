/** Encoders validate every value before writing a byte: a value that does not fit is a RangeError naming it. */
export function checkUnsigned(field: string, value: number, bytes: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * bytes)) {
    throw new RangeError(`${field} must be an integer in 0..${2 ** (8 * bytes) - 1}, got ${value}`);
  }
}

export function checkRange(field: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) throw new RangeError(`${field} must be in ${min}..${max}, got ${value}`);
}
