import type { Command } from '../main.ts';

// Placeholder until this session's work on 'simulate' lands.
export const simulateCommand: Command = {
  summary: 'simulate',
  usage: 'urbanlink simulate',
  options: {},
  async run() {
    throw new Error('simulate is not built yet');
  },
};
