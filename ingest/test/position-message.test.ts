import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createGt06Splitter,
  createJt808Splitter,
  decodeGt06,
  decodeJt808,
  FrameError,
  positionToJson,
  type Position,
} from '@urbanlink/protocols';
import { positionMessage } from '../src/position-message.ts';

/** Every position in shared/vectors, decoded as ingest decodes them. */
function vectorPositions(): Position[] {
  const positions: Position[] = [];
  const collect = (message: unknown) => {
    if (message instanceof FrameError || typeof message !== 'object' || message === null) return;
    if ('position' in message) positions.push(message.position as Position);
    if ('positions' in message) positions.push(...(message.positions as Position[]));
  };
  for (const file of ['gt06.tsv', 'gt06-quirks.tsv', 'jt808.tsv']) {
    const lines = readFileSync(new URL(`../../../shared/vectors/${file}`, import.meta.url), 'utf8').split('\n').slice(1);
    for (const line of lines) {
      const [protocol, hex] = line.split('\t');
      if (!hex) continue;
      const bytes = Buffer.from(hex, 'hex');
      if (protocol === 'gt06') createGt06Splitter().push(bytes, (frame) => collect(decodeGt06(frame)));
      if (protocol === 'jt808') createJt808Splitter().push(bytes, (frame) => collect(decodeJt808(frame)));
    }
  }
  return positions;
}

const expected = (deviceId: number, uniqueId: string, position: Position) => JSON.stringify({ deviceId, uniqueId, ...positionToJson(position) });

describe('the MQTT position message', () => {
  it('is the JSON.stringify text of the contract form for every position in the shared vectors', () => {
    const positions = vectorPositions();
    expect(positions.length).toBeGreaterThanOrEqual(7);
    for (const [i, position] of positions.entries()) {
      const uniqueId = position.uniqueId || '13800138000';
      expect(positionMessage(i + 1, uniqueId, position)).toBe(expected(i + 1, uniqueId, position));
    }
  });

  it('agrees with JSON.stringify over random fixes', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    for (let i = 0; i < 5_000; i++) {
      const position: Position = {
        uniqueId: String(860_000_000_000_000 + i),
        fixTimeMs: Date.UTC(2026, 0, 1) + Math.floor(random() * 3e10),
        lat: Math.round((random() * 180 - 90) * 1e6) / 1e6,
        lon: (random() * 360 - 180),
        altitudeM: Math.round(random() * 3000 - 100),
        speedKmh: Math.round(random() * 1200) / 10,
        course: Math.floor(random() * 360),
        valid: random() > 0.1,
        satellites: random() > 0.5 ? Math.floor(random() * 20) : null,
        ignition: random() > 0.6 ? random() > 0.5 : null,
        odometerKm: random() > 0.5 ? random() * 1e6 : null,
        fuelL: random() > 0.5 ? Math.round(random() * 800) / 10 : null,
        alarms: random() > 0.8 ? ['overspeed'] : [],
        attributes: random() > 0.5 ? { mcc: 460, mnc: 0, lac: Math.floor(random() * 65_535), cellId: Math.floor(random() * 1e6) } : {},
      };
      expect(positionMessage(i, position.uniqueId, position)).toBe(expected(i, position.uniqueId, position));
    }
  });

  it('writes nulls, non-finite numbers, alarms and text needing escapes as JSON.stringify does', () => {
    const position: Position = {
      uniqueId: 'x"\\\n',
      fixTimeMs: Date.UTC(2026, 5, 1, 8, 30, 15, 250),
      lat: -33.868_82,
      lon: Number.NaN,
      altitudeM: Number.POSITIVE_INFINITY,
      speedKmh: -0,
      course: 359,
      valid: false,
      satellites: null,
      ignition: false,
      odometerKm: 1e21,
      fuelL: 12.5,
      alarms: ['sos', 'powerCut'],
      attributes: { text: '行驶 "ok"\t', nested: { list: [1, null, 'a'] }, gone: undefined },
    };
    const text = positionMessage(7, position.uniqueId, position);
    expect(text).toBe(expected(7, position.uniqueId, position));
    expect(JSON.parse(text)).toMatchObject({ lon: null, altitude: null, speedKmh: 0, alarms: ['sos', 'powerCut'] });
    const withNulls = { ...position, ignition: null, odometerKm: null, fuelL: null, satellites: 0, alarms: [] };
    expect(positionMessage(8, '1', withNulls)).toBe(expected(8, '1', withNulls));
  });
});
