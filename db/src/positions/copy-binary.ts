import { POSITION_COLUMNS, type PositionRow } from './rows.ts';

/**
 * A batch of positions in PostgreSQL's binary COPY format (COPY … FROM STDIN (FORMAT binary)), written
 * straight into one Buffer. Against the text format of the same rows, measured at 3 000-row batches on this
 * project's 2-core machine: the writer's CPU 3.2 → 2.1 µs a row (no number or date text, no UTF-8 pass over
 * a string) and the whole COPY ~20 % sooner, as PostgreSQL parses no text either.
 *
 * The layout must match the column types of `positions` (0002_positions.sql, 0302_on_duty.sql) in
 * POSITION_COLUMNS order: a type changed there without a change here makes every COPY fail loudly
 * ("incorrect binary data format"), never store wrong values. The tests write and read back every column.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** PostgreSQL's epoch (2000-01-01T00:00:00Z) in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const TEXT_OID = 25;
const JSONB_VERSION = 1;
// Per row: 2 (field count) + 17 × 4 (lengths) + fixed-width values (4+8+4+4+4+4+2+1+2+1+8+4+4+4+4) + the
// array's header (12, or 20 + 4 per alarm) ≤ 150 bytes before alarm names and attributes text.
const FIXED_ROW_BYTES = 160;

class BinaryCopyWriter {
  private buffer: Buffer;
  // DataView's setters compile to plain stores; Buffer#writeInt32BE checks its arguments on every call.
  private view: DataView;
  private at = 0;

  constructor(initialBytes: number) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
  }

  ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.length);
  }

  int16(value: number): void {
    this.view.setInt16(this.at, value);
    this.at += 2;
  }

  int32(value: number): void {
    this.view.setInt32(this.at, value);
    this.at += 4;
  }

  null(): void {
    this.int32(-1);
  }

  // Buffer#writeInt32BE would write NaN as 0 and truncate 1.5; the text format made PostgreSQL refuse them.
  integerField(value: number, column: string): void {
    if (!Number.isInteger(value)) throw new RangeError(`${column} must be an integer, got ${value}`);
    this.int32(4);
    this.int32(value);
  }

  smallintField(value: number, column: string): void {
    if (!Number.isInteger(value)) throw new RangeError(`${column} must be an integer, got ${value}`);
    this.int32(2);
    this.int16(value);
  }

  booleanField(value: boolean): void {
    this.int32(1);
    this.buffer[this.at++] = value ? 1 : 0;
  }

  /** float4; -0 is stored as 0, as the text format stores what String(-0) says. */
  realField(value: number): void {
    this.int32(4);
    this.view.setFloat32(this.at, value + 0);
    this.at += 4;
  }

  doubleField(value: number): void {
    this.int32(8);
    this.view.setFloat64(this.at, value + 0);
    this.at += 8;
  }

  /** int8 microseconds since 2000-01-01 from whole milliseconds. */
  timestamptzField(unixMs: number): void {
    if (!Number.isInteger(unixMs)) throw new RangeError(`fix_time must be whole milliseconds, got ${unixMs}`);
    const us = (unixMs - PG_EPOCH_MS) * 1_000;
    this.int32(8);
    if (Number.isSafeInteger(us)) {
      // Two halves: a BigInt per row would cost more than the rest of the row.
      const high = Math.floor(us / 0x1_0000_0000);
      this.view.setInt32(this.at, high);
      this.view.setUint32(this.at + 4, us - high * 0x1_0000_0000);
    } else {
      // Past the year 2285: exact through BigInt. setBigInt64 would wrap what int8 cannot hold.
      const big = BigInt(unixMs - PG_EPOCH_MS) * 1_000n;
      if (big !== BigInt.asIntN(64, big)) throw new RangeError(`fix_time ${unixMs} ms is beyond what PostgreSQL stores`);
      this.view.setBigInt64(this.at, big);
    }
    this.at += 8;
  }

  /** text[] with no nulls: one dimension, lower bound 1; the empty array has no dimensions. */
  textArrayField(values: readonly string[]): void {
    if (values.length === 0) {
      this.int32(12);
      this.int32(0);
      this.int32(0);
      this.int32(TEXT_OID);
      return;
    }
    let bytes = 20;
    for (const value of values) bytes += 4 + Buffer.byteLength(value);
    this.ensure(bytes + 4);
    this.int32(bytes);
    this.int32(1);
    this.int32(0);
    this.int32(TEXT_OID);
    this.int32(values.length);
    this.int32(1);
    for (const value of values) {
      const length = this.buffer.write(value, this.at + 4, 'utf8');
      this.int32(length);
      this.at += length;
    }
  }

  jsonbField(json: string): void {
    const bytes = Buffer.byteLength(json) + 1;
    this.ensure(bytes + 4);
    this.int32(bytes);
    this.buffer[this.at++] = JSONB_VERSION;
    this.at += this.buffer.write(json, this.at, 'utf8');
  }

  header(): void {
    SIGNATURE.copy(this.buffer, this.at);
    this.at += SIGNATURE.length;
    this.int32(0); // flags: no OIDs
    this.int32(0); // header extension length
  }

  done(): Buffer {
    this.int16(-1); // trailer
    return this.buffer.subarray(0, this.at);
  }
}

/** The binary COPY payload of `rows`, columns in POSITION_COLUMNS order. */
export function toCopyBinary(rows: readonly PositionRow[]): Buffer {
  const out = new BinaryCopyWriter(19 + rows.length * (FIXED_ROW_BYTES + 64) + 2);
  out.header();
  for (const r of rows) {
    out.ensure(FIXED_ROW_BYTES);
    out.int16(POSITION_COLUMNS.length);
    out.integerField(r.deviceId, 'device_id');
    out.timestamptzField(r.fixTimeMs);
    out.integerField(r.latE6, 'lat_e6');
    out.integerField(r.lonE6, 'lon_e6');
    out.realField(r.altitudeM);
    out.realField(r.speedKmh);
    out.smallintField(r.course, 'course');
    out.booleanField(r.valid);
    if (r.satellites === null) out.null();
    else out.smallintField(r.satellites, 'satellites');
    if (r.ignition === null) out.null();
    else out.booleanField(r.ignition);
    if (r.odometerKm === null) out.null();
    else out.doubleField(r.odometerKm);
    if (r.fuelL === null) out.null();
    else out.realField(r.fuelL);
    out.textArrayField(r.alarms);
    out.jsonbField(r.attributes);
    out.ensure(36);
    out.realField(r.distanceM);
    out.realField(r.movingS);
    out.realField(r.onDutyS);
  }
  out.ensure(2);
  return out.done();
}
