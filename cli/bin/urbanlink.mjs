#!/usr/bin/env node
// The `urbanlink` command. The sources are TypeScript; tsx compiles them on load, so there is no build step.
import { register } from 'tsx/esm/api';

// `urbanlink decode … | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
