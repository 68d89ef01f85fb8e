import iconv from 'iconv-lite';

/** STRING fields are GBK (§4.2); most are ASCII, which skips the table lookup. Padding NULs are dropped. */
export function decodeGbk(bytes: Buffer): string {
  let start = 0;
  let end = bytes.length;
  while (start < end && bytes[start] === 0) start++;
  while (end > start && bytes[end - 1] === 0) end--;
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  return ascii ? bytes.toString('latin1', start, end) : iconv.decode(bytes.subarray(start, end), 'gbk');
}

export function encodeGbk(text: string): Buffer {
  return iconv.encode(text, 'gbk');
}

/** A fixed-width BYTE[n] text field, right-padded with NULs (§8.5); too long is an error, not a cut. */
export function fixedGbk(text: string, width: number, field: string): Buffer {
  const bytes = encodeGbk(text);
  if (bytes.length > width) throw new RangeError(`${field} is ${bytes.length} bytes, wider than ${width}`);
  const padded = Buffer.alloc(width);
  bytes.copy(padded);
  return padded;
}
