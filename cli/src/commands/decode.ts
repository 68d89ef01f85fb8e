import { createInterface } from 'node:readline';
import {
  FrameError,
  createGt06Splitter,
  createJt808Splitter,
  decodeGt06,
  decodeJt808,
  gt06MessageToJson,
  jt808MessageToJson,
  type FrameSplitter,
} from '@urbanlink/protocols';
import type { Command } from '../main.ts';

interface Decoder {
  createSplitter(): FrameSplitter;
  decode(frame: Buffer): Record<string, unknown> | FrameError;
}

const DECODERS: Record<string, Decoder> = {
  gt06: {
    createSplitter: createGt06Splitter,
    decode: (frame) => {
      const message = decodeGt06(frame);
      return message instanceof FrameError ? message : gt06MessageToJson(message);
    },
  },
  jt808: {
    createSplitter: createJt808Splitter,
    decode: (frame) => {
      const message = decodeJt808(frame);
      return message instanceof FrameError ? message : jt808MessageToJson(message);
    },
  },
};

/**
 * Decodes one line of hex: every frame in it, through the same splitter and decoder the server uses, so
 * what this prints is what ingest sees. Throws with a message naming the problem.
 */
function decodeLine(decoder: Decoder, line: string): Record<string, unknown>[] {
  const hex = line.replace(/\s+/g, '');
  if (hex.length === 0) return [];
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new Error(`not hex: '${line.length > 40 ? line.slice(0, 40) + '…' : line}' (an even number of 0-9a-f digits is needed)`);
  }
  const splitter = decoder.createSplitter();
  const results: Record<string, unknown>[] = [];
  let failure: FrameError | undefined;
  splitter.push(Buffer.from(hex, 'hex'), (frame) => {
    const result = decoder.decode(frame);
    if (result instanceof FrameError) failure ??= result;
    else results.push(result);
  });
  if (failure) throw failure;
  if (results.length === 0) {
    const stats = splitter.stats;
    throw new Error(
      splitter.buffered > 0
        ? `incomplete frame: ${splitter.buffered} byte(s) without an end marker`
        : `no frame found (${stats.garbageBytes} byte(s) outside any frame, ${stats.oversizedFrames} oversized)`,
    );
  }
  return results;
}

export const decodeCommand: Command = {
  summary: 'Decode GT06 or JT/T 808 frames given as hex, one JSON object per message. / 解码终端报文。',
  usage: 'urbanlink decode --protocol gt06|jt808 [HEX ...]   (no HEX: one hex frame per line on standard input)',
  options: { protocol: { type: 'string', short: 'p' } },
  async run(values, positionals) {
    const protocol = String(values.protocol ?? '');
    const decoder = DECODERS[protocol];
    if (!decoder) throw new Error(`--protocol must be gt06 or jt808, got '${protocol}'`);
    const lines = positionals.length > 0 ? positionals : createInterface({ input: process.stdin });
    let failures = 0;
    for await (const line of lines) {
      try {
        for (const result of decodeLine(decoder, line)) process.stdout.write(JSON.stringify(result) + '\n');
      } catch (error) {
        failures++;
        process.stderr.write(`urbanlink decode: ${(error as Error).message}\n`);
      }
    }
    return failures > 0 ? 1 : 0;
  },
};
