import { createJt808Splitter, decodeJt808, type FrameError, type Jt808Message } from '@urbanlink/protocols';

/** Runs escaped wire bytes through a fresh splitter and decodes every frame it emits. */
export function decodeWire(wire: Buffer, lenient = false): Array<Jt808Message | FrameError> {
  const splitter = createJt808Splitter();
  const out: Array<Jt808Message | FrameError> = [];
  splitter.push(wire, (frame) => out.push(decodeJt808(frame, { lenient })));
  return out;
}

/** The one message a wire frame must decode to; fails the test with the decoder's error otherwise. */
export function decodeOne(wire: Buffer, lenient = false): Jt808Message {
  const out = decodeWire(wire, lenient);
  if (out.length !== 1) throw new Error(`expected one frame, got ${out.length}`);
  const message = out[0]!;
  if (message instanceof Error) throw message;
  return message;
}

export { seededRandom as random } from './seeded-random.ts';
