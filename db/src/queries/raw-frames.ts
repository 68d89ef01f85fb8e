import type { SqlExecutor } from '../sql-client.ts';

export interface RawFrameInput {
  receivedAtMs: number;
  deviceId: number | null;
  protocol: 'gt06' | 'jt808';
  /** 'in' from the terminal, 'out' a reply or command sent to it. */
  direction: 'in' | 'out';
  remoteAddress: string | null;
  frame: Uint8Array;
}

export interface RawFrameRecord extends Omit<RawFrameInput, 'receivedAtMs'> {
  receivedAt: Date;
}

/** Appends frames to the archive in one statement; pass the batch's transaction to store them with it. */
export async function archiveRawFrames(db: SqlExecutor, rows: readonly RawFrameInput[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO raw_frames (received_at, device_id, protocol, direction, remote_address, frame)
     SELECT received_at, device_id, protocol, direction, remote_address, decode(frame, 'hex')
     FROM unnest($1::timestamptz[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[])
       AS f(received_at, device_id, protocol, direction, remote_address, frame)`,
    [
      rows.map((r) => new Date(r.receivedAtMs).toISOString()),
      rows.map((r) => r.deviceId),
      rows.map((r) => r.protocol),
      rows.map((r) => r.direction),
      rows.map((r) => r.remoteAddress),
      rows.map((r) => Buffer.from(r.frame.buffer, r.frame.byteOffset, r.frame.byteLength).toString('hex')),
    ],
  );
}

/** One device's archived frames with fromMs ≤ received ≤ toMs, oldest first. */
export async function listRawFrames(
  db: SqlExecutor,
  deviceId: number,
  fromMs: number,
  toMs: number,
  limit = 1000,
): Promise<RawFrameRecord[]> {
  const result = await db.query<Omit<RawFrameRecord, 'frame'> & { frame: string }>(
    `SELECT received_at AS "receivedAt", device_id AS "deviceId", protocol, direction,
            remote_address AS "remoteAddress", encode(frame, 'hex') AS frame
     FROM raw_frames
     WHERE device_id = $1::integer AND received_at >= $2::timestamptz AND received_at <= $3::timestamptz
     ORDER BY received_at
     LIMIT $4::integer`,
    [deviceId, new Date(fromMs), new Date(toMs), limit],
  );
  return result.rows.map((row) => ({ ...row, frame: Buffer.from(row.frame, 'hex') }));
}
