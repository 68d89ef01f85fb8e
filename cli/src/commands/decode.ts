import type { Command } from '../main.ts';

// Placeholder until this session's work on 'decode' lands.
export const decodeCommand: Command = {
  summary: 'decode',
  usage: 'urbanlink decode',
  options: {},
  async run() {
    throw new Error('decode is not built yet');
  },
};
