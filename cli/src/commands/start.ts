import type { Command } from '../main.ts';

// Placeholder until this session's work on 'start' lands.
export const startCommand: Command = {
  summary: 'start',
  usage: 'urbanlink start',
  options: {},
  async run() {
    throw new Error('start is not built yet');
  },
};
