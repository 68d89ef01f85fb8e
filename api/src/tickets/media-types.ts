/**
 * The content type of an upload, judged by its first bytes rather than by what the client claims: only
 * the kinds an agent attaches to a complaint (photos, scanned letters, call recordings) are accepted.
 */
interface Signature {
  type: string;
  offset: number;
  bytes: readonly number[];
  /** A second marker further in (RIFF containers name their kind at byte 8). */
  also?: { offset: number; bytes: readonly number[] };
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const SIGNATURES: readonly Signature[] = [
  { type: 'image/jpeg', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/gif', offset: 0, bytes: ascii('GIF8') },
  { type: 'image/webp', offset: 0, bytes: ascii('RIFF'), also: { offset: 8, bytes: ascii('WEBP') } },
  { type: 'application/pdf', offset: 0, bytes: ascii('%PDF-') },
  { type: 'audio/wav', offset: 0, bytes: ascii('RIFF'), also: { offset: 8, bytes: ascii('WAVE') } },
  { type: 'audio/mpeg', offset: 0, bytes: ascii('ID3') },
  { type: 'audio/amr', offset: 0, bytes: ascii('#!AMR') },
  { type: 'video/mp4', offset: 4, bytes: ascii('ftyp') },
];

export const ACCEPTED_MEDIA_TYPES = [...new Set(SIGNATURES.map((s) => s.type))];

function matches(head: Uint8Array, offset: number, bytes: readonly number[]): boolean {
  if (head.length < offset + bytes.length) return false;
  return bytes.every((b, i) => head[offset + i] === b);
}

export function sniffMediaType(head: Uint8Array): string | null {
  for (const s of SIGNATURES) {
    if (matches(head, s.offset, s.bytes) && (!s.also || matches(head, s.also.offset, s.also.bytes))) return s.type;
  }
  // An MP3 without an ID3 tag starts straight with a frame header: 11 set sync bits, a layer that is not 0.
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0 && (head[1]! & 0x06) !== 0) {
    return 'audio/mpeg';
  }
  return null;
}
