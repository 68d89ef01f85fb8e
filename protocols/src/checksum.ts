/** CRC-16/X-25 (CRC-ITU as GT06 calls it): reflected poly 0x1021, init 0xFFFF, final xor 0xFFFF. */
const X25_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
    table[n] = crc;
  }
  return table;
})();

export function crc16X25(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ X25_TABLE[(crc ^ data[i]!) & 0xff]!;
  return (crc ^ 0xffff) & 0xffff;
}

/** JT/T 808's check code: XOR of every byte from the header to the end of the body. */
export function xor8(data: Uint8Array, start = 0, end = data.length): number {
  // Four bytes per step: one loop test per four loads (a 0x0200 with items is about a hundred bytes).
  let sum = 0;
  let i = start;
  for (const stop = end - 3; i < stop; i += 4) sum ^= data[i]! ^ data[i + 1]! ^ data[i + 2]! ^ data[i + 3]!;
  for (; i < end; i++) sum ^= data[i]!;
  return sum;
}
