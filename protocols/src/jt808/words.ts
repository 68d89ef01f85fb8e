/**
 * Big-endian WORD and DWORD reads for spans the caller has already bounds-checked once (a whole base block,
 * an item whose length fits): Buffer#readUInt32BE would check the bounds again on every read.
 */
export function u16At(buffer: Buffer, at: number): number {
  return (buffer[at]! << 8) | buffer[at + 1]!;
}

export function u32At(buffer: Buffer, at: number): number {
  return ((buffer[at]! << 24) | (buffer[at + 1]! << 16) | (buffer[at + 2]! << 8) | buffer[at + 3]!) >>> 0;
}
