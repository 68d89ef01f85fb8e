import { u16At, u32At } from './words.ts';

/**
 * Readers for the additional items nearly every terminal sends (2013 tables 27 and 28). Each case reads its
 * fields straight from the buffer and builds its value with a fixed-key literal, where the table-driven
 * reader looks up the layout, switches on each field's kind and builds objects key by key: on a 0x0200
 * with a dozen items that difference was the largest single cost of the decode. The table in layouts.ts
 * stays the definition; common-items.test.ts checks that these give exactly what it gives, for every
 * length. Returns undefined for any other id, and for a length that is not the item's, so that the table
 * path decides (which keeps such items as hex).
 */
export function readCommonItem(buffer: Buffer, at: number, id: number, length: number): unknown {
  switch (id) {
    case 0x01: // mileage, DWORD in 1/10 km; x / 10 is the double nearest the exact tenth, as the table's rounding gives
      return length === 4 ? u32At(buffer, at) / 10 : undefined;
    case 0x02: // fuel, WORD in 1/10 L
    case 0x03: // speed from the tachograph, WORD in 1/10 km/h
      return length === 2 ? u16At(buffer, at) / 10 : undefined;
    case 0x04: // id of the alarm event a person must confirm, WORD
    case 0x2a: // IO status bits, WORD
      return length === 2 ? u16At(buffer, at) : undefined;
    case 0x11: // overspeed: area type, then the area id unless the type is 0 (no specific area)
      if (length === 5) return { areaType: buffer[at]!, areaId: u32At(buffer, at + 1) };
      return length === 1 ? { areaType: buffer[at]! } : undefined;
    case 0x12: // entering or leaving an area or route
      return length === 6 ? { areaType: buffer[at]!, areaId: u32At(buffer, at + 1), direction: buffer[at + 5]! } : undefined;
    case 0x25: // extended vehicle signal status bits, DWORD
      return length === 4 ? u32At(buffer, at) : undefined;
    case 0x2b: // analog inputs: AD1 in the high word, AD0 in the low one
      return length === 4 ? { ad1: u16At(buffer, at), ad0: u16At(buffer, at + 2) } : undefined;
    case 0x30: // wireless signal strength, BYTE
    case 0x31: // GNSS satellites in view, BYTE
      return length === 1 ? buffer[at]! : undefined;
    default:
      return undefined;
  }
}
