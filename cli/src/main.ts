import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One subcommand: its options (node:util parseArgs) and what it does; resolves to the exit code. */
export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start.ts')).startCommand,
  migrate: async () => (await import('./commands/migrate.ts')).migrateCommand,
  decode: async () => (await import('./commands/decode.ts')).decodeCommand,
  simulate: async () => (await import('./commands/simulate.ts')).simulateCommand,
};

function help(): string {
  return [
    'usage: urbanlink <command> [options]',
    '',
    '  start      start the server (terminal listeners, API, web console, MQTT) / 启动服务',
    '  migrate    bring the database schema up to date, then exit / 升级数据库结构',
    '  decode     decode GT06 or JT/T 808 frames given as hex / 解码终端报文',
    '  simulate   drive simulated vehicles against a server / 模拟车辆终端',
    '',
    "'urbanlink <command> --help' shows a command's options.",
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`urbanlink: unknown command '${name}'\n\n${help()}\n`);
    return 1;
  }
  const command = await load();
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`urbanlink ${name}: ${(error as Error).message}\n\nusage: ${command.usage}\n`);
    return 1;
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.summary}\n\nusage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(parsed.values, parsed.positionals);
  } catch (error) {
    process.stderr.write(`urbanlink ${name}: ${(error as Error).message}\n`);
    return 1;
  }
}
