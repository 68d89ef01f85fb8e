import { describe, expect, it } from 'vitest';
import { Jt808Reassembler, decodeJt808Body, encodeJt808, type Jt808Fragment, type Jt808Target } from '@urbanlink/protocols';
import { decodeOne, random } from './support/jt808-frames.ts';

const TARGET: Jt808Target = { phone: '13912345678', version: 2019 };
const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff));
const upload = {
  mediaId: 42,
  mediaType: 0,
  format: 0,
  event: 1,
  channel: 2,
  location: { lat: 30.5, lon: 104.06, fixTimeMs: Date.parse('2025-01-02T03:04:05Z') },
  data,
};

function fragments(firstSerial = 100): Jt808Fragment[] {
  return encodeJt808.mediaUpload(TARGET, upload, firstSerial, 500).map((wire) => {
    const message = decodeOne(wire);
    expect(message.name).toBe('fragment');
    return message as Jt808Fragment;
  });
}

describe('jt808 subpackage reassembly', () => {
  it('joins 0x0801 packets arriving in any order', () => {
    const parts = fragments();
    expect(parts).toHaveLength(7);
    const next = random(7);
    const shuffled = [...parts].sort(() => next() - 0.5);
    const reassembler = new Jt808Reassembler();
    const results = shuffled.map((part, i) => reassembler.add(part, i));
    expect(results.slice(0, -1).every((r) => r.status === 'pending')).toBe(true);
    const done = results.at(-1)!;
    if (done.status !== 'complete') throw new Error(`expected complete, got ${done.status}`);
    expect(done.header).toMatchObject({ id: 0x0801, serial: 100, subpackage: null, bodyLength: done.body.length });
    const message = decodeJt808Body(done.header, done.body);
    expect(message).toMatchObject({ name: 'mediaUpload', mediaId: 42, channel: 2, position: { lat: 30.5, uniqueId: '13912345678' } });
    expect((message as { data: Buffer }).data.equals(data)).toBe(true);
    expect(reassembler.size).toBe(0);
  });

  it('counts a repeated packet once', () => {
    const parts = fragments();
    const reassembler = new Jt808Reassembler();
    reassembler.add(parts[0]!, 0);
    expect(reassembler.add(parts[0]!, 1)).toEqual({ status: 'pending', received: 1, total: 7 });
  });

  it('asks for the missing packets after the timeout, then gives up after maxAsks', () => {
    const parts = fragments(65534);
    const reassembler = new Jt808Reassembler({ timeoutMs: 1000, maxAsks: 2 });
    for (const part of parts) if (part.header.subpackage!.index % 3 !== 0) reassembler.add(part, 0);
    expect(reassembler.expire(999)).toEqual([]);
    const [ask] = reassembler.expire(1000);
    expect(ask).toMatchObject({ id: 0x0801, originalSerial: 65534, packets: [3, 6], target: { phone: '00000000013912345678' } });
    const request = decodeOne(encodeJt808.resendRequest(ask!.target, ask!, 9));
    expect(request).toMatchObject({ name: 'resendRequest', originalSerial: 65534, packets: [3, 6], header: { version: 2019 } });
    expect(reassembler.expire(1500)).toEqual([]);
    expect(reassembler.expire(2000)).toHaveLength(1);
    expect(reassembler.expire(3000)).toEqual([]);
    expect(reassembler.size).toBe(0);
  });

  it('completes once the asked-for packets arrive', () => {
    const parts = fragments();
    const reassembler = new Jt808Reassembler({ timeoutMs: 10 });
    for (const part of parts.slice(1)) reassembler.add(part, 0);
    expect(reassembler.expire(10)[0]!.packets).toEqual([1]);
    expect(reassembler.add(parts[0]!, 11).status).toBe('complete');
  });

  it('bounds what it holds: oldest message dropped beyond maxPending, oversized totals rejected', () => {
    const reassembler = new Jt808Reassembler({ maxPending: 2, maxPackets: 5 });
    expect(reassembler.add(fragments()[0]!, 0)).toEqual({ status: 'rejected', reason: '7 subpackages exceed the limit of 5' });
    const small = (phone: string) =>
      decodeOne(encodeJt808.fragments({ phone, version: 2013 }, 0x0801, Buffer.alloc(20), 1, 10)[0]!) as Jt808Fragment;
    for (const phone of ['1', '2', '3']) reassembler.add(small(phone), 0);
    expect(reassembler.size).toBe(2);
    expect(reassembler.expire(60_000).map((a) => a.target.uniqueId)).toEqual(['2', '3']);
  });

  it('rejects a frame that is not a subpackage', () => {
    const message = decodeOne(encodeJt808.heartbeat(TARGET, 1));
    expect(new Jt808Reassembler().add({ header: message.header, body: Buffer.alloc(0) }, 0)).toEqual({
      status: 'rejected',
      reason: 'frame is not a subpackage',
    });
  });
});
