import { migrate, openSqlClient } from '@urbanlink/db';
import type { Command } from '../main.ts';
import { loadConfig } from '../config.ts';

export const migrateCommand: Command = {
  summary: 'Bring the database schema up to date, then exit. / 升级数据库结构后退出。',
  usage: 'urbanlink migrate',
  options: {},
  async run() {
    const config = loadConfig();
    const client = await openSqlClient({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const report = await migrate(client);
      const storage = report.timescale ? 'TimescaleDB' : 'native partitioning';
      if (report.applied.length === 0) {
        process.stdout.write(`schema up to date at version ${report.version} (${storage}) / 数据库已是最新\n`);
      } else {
        for (const name of report.applied) process.stdout.write(`applied ${name}\n`);
        process.stdout.write(`schema now at version ${report.version} (${storage}) / 数据库已升级\n`);
      }
      return 0;
    } finally {
      await client.close();
    }
  },
};
