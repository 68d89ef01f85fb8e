import { Gt06Terminal } from './gt06-terminal.ts';
import { Jt808Terminal } from './jt808-terminal.ts';
import { FleetStats } from './stats.ts';
import type { SimulatedTerminal, TerminalOptions } from './terminal.ts';
import { Vehicle } from './vehicle.ts';

export type SimulatedProtocol = 'gt06' | 'jt808';

export interface FleetOptions {
  protocol: SimulatedProtocol;
  devices: number;
  intervalS: number;
  host: string;
  port: number;
  /** The first device number; uniqueIds are derived from it so several simulator processes do not clash. */
  firstDevice?: number;
  ackTimeoutMs?: number;
  heartbeatS?: number;
  /** Connections opened per second at start, so a large fleet does not arrive as one SYN flood. */
  connectRate?: number;
}

/**
 * The uniqueId of simulated device `n`: a 15-digit IMEI-like number for GT06, an 11-digit phone for JT/T
 * 808 (the 808 uniqueId has no leading zeros). Both start with a fixed prefix nobody's real fleet uses.
 */
export function simulatedUniqueId(protocol: SimulatedProtocol, n: number): string {
  return protocol === 'gt06' ? `86${String(n).padStart(13, '0')}` : `199${String(n).padStart(8, '0')}`;
}

export class Fleet {
  readonly stats = new FleetStats();
  private readonly terminals: SimulatedTerminal[] = [];
  private readonly options: FleetOptions;
  private starter: NodeJS.Timeout | undefined;

  constructor(options: FleetOptions) {
    this.options = options;
    const first = options.firstDevice ?? 1;
    for (let i = 0; i < options.devices; i++) {
      const n = first + i;
      const terminal: TerminalOptions = {
        host: options.host,
        port: options.port,
        uniqueId: simulatedUniqueId(options.protocol, n),
        vehicle: new Vehicle(n),
        intervalS: options.intervalS,
        stats: this.stats,
        ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
        heartbeatS: options.heartbeatS ?? 180,
      };
      this.terminals.push(options.protocol === 'gt06' ? new Gt06Terminal(terminal) : new Jt808Terminal(terminal));
    }
  }

  get uniqueIds(): string[] {
    const first = this.options.firstDevice ?? 1;
    return this.terminals.map((_, i) => simulatedUniqueId(this.options.protocol, first + i));
  }

  /** Positions sent and not yet acknowledged, over the fleet. */
  get pending(): number {
    return this.terminals.reduce((sum, terminal) => sum + terminal.pending, 0);
  }

  start(): void {
    const rate = this.options.connectRate ?? 500;
    const perTick = Math.max(1, Math.round(rate / 20));
    let next = 0;
    const tick = () => {
      for (let i = 0; i < perTick && next < this.terminals.length; i++) this.terminals[next++]!.start();
      if (next < this.terminals.length) this.starter = setTimeout(tick, 50);
    };
    tick();
  }

  stop(): void {
    if (this.starter) clearTimeout(this.starter);
    for (const terminal of this.terminals) terminal.stop();
  }
}
