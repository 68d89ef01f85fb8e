import { readdirSync, readFileSync } from 'node:fs';

/** The nice value of each thread of a process, by thread id, from /proc (Linux). */
export function threadNiceValues(pid: number): Record<string, number> {
  const values: Record<string, number> = {};
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      // Fields after the command name's closing parenthesis start at the third, the state; nice is the 19th.
      const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      values[thread] = Number(fields[16]);
    } catch {
      // The thread ended since it was listed.
    }
  }
  return values;
}
