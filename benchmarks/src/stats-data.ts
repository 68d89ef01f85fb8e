/**
 * A year of a city's ticket and fleet data for the statistics benchmark, seeded so runs compare: units (city,
 * districts, squads), staff, categories, vehicles, tickets through their whole life (timeline, terminal
 * orders, follow-up visits) and the vehicles' daily aggregate. Bulk rows go in by COPY in chunks.
 */
import {
  analyzeStatsTables,
  insertDevice,
  insertTicketCategory,
  insertUnit,
  insertUser,
  type SqlClient,
} from '@urbanlink/db';

export interface CityScale {
  tickets: number;
  vehicles: number;
  year: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHANNELS = ['phone', 'phone', 'phone', 'web', 'open311', 'sms', 'patrol', 'email'];
const RESULTS = ['satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'];
const CHUNK = 50_000;
const AREA = { lat: 22.45, lon: 113.75, dLat: 0.5, dLon: 0.8 };

let seed = 20260101;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
// Right-skewed durations: most steps are quick, some take days.
const skewed = (medianMs: number) => medianMs * Math.exp((random() + random() + random() - 1.5) * 1.6);
const iso = (ms: number) => new Date(ms).toISOString();
const cell = (v: string | number | null) => (v === null ? '\\N' : String(v));

async function copy(client: SqlClient, table: string, columns: string[], rows: Array<Array<string | number | null>>): Promise<void> {
  const text = rows.map((r) => r.map(cell).join('\t')).join('\n') + '\n';
  await client.transaction(async (tx) => {
    if (!(await tx.copyText(table, columns, text))) throw new Error('the statistics benchmark needs PostgreSQL (COPY)');
  });
}

interface Directory {
  squads: number[];
  staff: number[];
  categories: number[];
  devicesBySquad: Map<number, number[]>;
  devices: number[];
}

async function createDirectory(client: SqlClient, vehicles: number): Promise<Directory> {
  const city = await insertUnit(client, { name: '市局', kind: 'city', parentId: null });
  const squads: number[] = [];
  for (let d = 1; d <= 10; d++) {
    const district = await insertUnit(client, { name: `第${d}区局`, kind: 'district', parentId: city.id });
    for (let s = 1; s <= 5; s++) squads.push((await insertUnit(client, { name: `第${d}区第${s}中队`, kind: 'squad', parentId: district.id })).id);
  }
  const staff: number[] = [];
  for (let i = 0; i < 120; i++) {
    const user = await insertUser(client, { username: `staff${i}`, passwordHash: 'x', role: i < 40 ? 'agent' : 'dispatcher', unitId: i < 40 ? city.id : squads[i % squads.length]! });
    staff.push(user!.id);
  }
  const categories: number[] = [];
  for (let i = 0; i < 24; i++) categories.push((await insertTicketCategory(client, { code: `cat${i}`, name: `类别${i}` })).id);
  const devicesBySquad = new Map<number, number[]>();
  const devices: number[] = [];
  for (let i = 0; i < vehicles; i++) {
    const squad = squads[i % squads.length]!;
    const device = await insertDevice(client, { uniqueId: String(860000000000000 + i), name: `巡逻车${i}`, plate: `粤B${String(i).padStart(5, '0')}`, unitId: squad });
    devices.push(device!.id);
    devicesBySquad.set(squad, [...(devicesBySquad.get(squad) ?? []), device!.id]);
  }
  return { squads, staff, categories, devicesBySquad, devices };
}

// Hotspots: a third of the tickets fall near one of 300 recurring places.
const places = Array.from({ length: 300 }, () => ({ lat: AREA.lat + random() * AREA.dLat, lon: AREA.lon + random() * AREA.dLon }));

async function createTickets(client: SqlClient, scale: CityScale, dir: Directory): Promise<void> {
  const yearStart = Date.UTC(scale.year, 0, 1) - 8 * HOUR;
  let commandId = 0;
  for (let first = 1; first <= scale.tickets; first += CHUNK) {
    const tickets: Array<Array<string | number | null>> = [];
    const events: Array<Array<string | number | null>> = [];
    const commands: Array<Array<string | number | null>> = [];
    const followups: Array<Array<string | number | null>> = [];
    for (let id = first; id < Math.min(first + CHUNK, scale.tickets + 1); id++) {
      const registered = yearStart + random() * 365 * DAY;
      const squad = pick(dir.squads);
      const agent = dir.staff[Math.floor(random() * 40)]!;
      const dispatcher = dir.staff[40 + Math.floor(random() * 80)]!;
      const place = random() < 0.33 ? pick(places) : { lat: AREA.lat + random() * AREA.dLat, lon: AREA.lon + random() * AREA.dLon };
      const due = registered + 3 * DAY;
      const accepted = registered + skewed(0.3 * HOUR);
      const dispatched = accepted + skewed(0.5 * HOUR);
      const arrived = random() < 0.9 ? dispatched + skewed(0.4 * HOUR) : null;
      const handled = (arrived ?? dispatched) + skewed(3 * HOUR);
      const verified = handled + skewed(6 * HOUR);
      const closed = random() < 0.92 ? verified + skewed(20 * HOUR) : null;
      const rework = closed !== null && random() < 0.04 ? 1 : 0;
      const terminal = random() < 0.35;
      const device = terminal ? pick(dir.devicesBySquad.get(squad)!) : null;
      if (device !== null) {
        commandId++;
        const sent = dispatched + 1000;
        commands.push([commandId, device, 'text', '{}', 'acknowledged', iso(dispatched), iso(sent), iso(sent + skewed(20_000))]);
      }
      tickets.push([
        id, `${scale.year}-${id}`, pick(CHANNELS), pick(dir.categories), '投诉内容', place.lat + (random() - 0.5) * 0.001, place.lon + (random() - 0.5) * 0.001,
        closed === null ? 'handled' : 'closed', squad, device, terminal ? 'terminal' : 'phone', device === null ? null : commandId, agent,
        iso(registered), iso(registered), iso(accepted), iso(dispatched), arrived === null ? null : iso(arrived), iso(handled), closed === null ? null : iso(verified),
        closed === null ? null : iso(closed), closed === null ? iso(due) : null, closed === null ? null : iso(due), rework, iso(closed ?? handled),
      ]);
      events.push([id, iso(registered), 'registered', null, 'registered', agent, 'agent']);
      events.push([id, iso(accepted), 'transition', 'registered', 'accepted', agent, 'agent']);
      events.push([id, iso(dispatched), 'dispatch', 'accepted', 'dispatched', dispatcher, 'dispatcher']);
      events.push([id, iso(handled), 'transition', arrived === null ? 'dispatched' : 'arrived', 'handled', dispatcher, 'dispatcher']);
      if (closed !== null) {
        events.push([id, iso(closed), 'transition', 'verified', 'closed', dispatcher, 'dispatcher']);
        if (random() < 0.3) followups.push([id, 1, 1, 'phone', iso(closed + DAY), 'done', pick(RESULTS), agent, iso(closed + DAY + HOUR)]);
      }
    }
    await copy(client, 'commands', ['id', 'device_id', 'type', 'params', 'status', 'created_at', 'sent_at', 'acked_at'], commands);
    await copy(client, 'tickets', [
      'id', 'number', 'channel', 'category_id', 'description', 'lat', 'lon', 'status', 'unit_id', 'device_id', 'dispatch_method', 'dispatch_command_id',
      'registered_by', 'registered_at', 'cycle_started_at', 'accepted_at', 'dispatched_at', 'arrived_at', 'handled_at', 'verified_at', 'closed_at',
      'due_at', 'closed_due_at', 'rework_count', 'updated_at',
    ], tickets);
    await copy(client, 'ticket_events', ['ticket_id', 'at', 'kind', 'from_status', 'to_status', 'user_id', 'actor'], events);
    await copy(client, 'followups', ['ticket_id', 'sequence', 'cycle', 'method', 'due_at', 'status', 'result', 'done_by', 'done_at'], followups);
  }
}

async function createDailyStats(client: SqlClient, scale: CityScale, dir: Directory): Promise<void> {
  const yearStart = Date.UTC(scale.year, 0, 1);
  const rows: Array<Array<string | number | null>> = [];
  for (const device of dir.devices) {
    for (let day = 0; day < 365; day++) {
      if (random() < 0.1) continue;
      rows.push([device, iso(yearStart + day * DAY), Math.round(40_000 + random() * 120_000), Math.round(3 * 3600 + random() * 5 * 3600), Math.round(2000 + random() * 4000)]);
    }
    if (rows.length >= CHUNK) await copy(client, 'device_daily_stats', ['device_id', 'day', 'distance_m', 'moving_s', 'fixes'], rows.splice(0));
  }
  await copy(client, 'device_daily_stats', ['device_id', 'day', 'distance_m', 'moving_s', 'fixes'], rows);
}

/** Fills an empty, migrated PostgreSQL database (native partitioning: the daily aggregate is a table). */
export async function createCityYear(client: SqlClient, scale: CityScale): Promise<void> {
  const dir = await createDirectory(client, scale.vehicles);
  await createTickets(client, scale, dir);
  await createDailyStats(client, scale, dir);
  await analyzeStatsTables(client);
}
