import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findDeviceById, listAlarms, readTrackPage, type SqlClient } from '@urbanlink/db';
import { HttpError, notFound } from '../../plugins/errors.ts';
import { canSeeUnit } from '../../plugins/scope.ts';
import { errors, IdParams } from '../../schemas/common.ts';
import { DEFAULT_TRACK_SETTINGS, streamTracks, type TrackSource } from '../../track/track-stream.ts';
import type { TrackFormat, TrackMeta } from '../../track/track-writer.ts';
import { createTrackWriter } from '../../track/writers.ts';
import { TRACK_DESCRIPTION, TrackQuery, TrackResponse, TracksQuery } from './schemas.ts';
import { requestTimeMs } from '../../schemas/request-time.ts';

/** The longest period one request may ask for; a year of 1 Hz fixes still streams in bounded memory. */
const MAX_PERIOD_MS = 366 * 86_400_000;

/** The most alarms one track lists: they are held whole, and a terminal flapping on a fence edge raises thousands. */
const MAX_TRACK_ALARMS = 10_000;

function trackSource(db: SqlClient): TrackSource {
  return {
    readPage: (deviceId, fromMs, toMs, limit) => readTrackPage(db, deviceId, fromMs, toMs, limit),
    async alarms(deviceId, fromMs, toMs) {
      const rows = await listAlarms(db, { deviceId, fromMs, toMs, limit: MAX_TRACK_ALARMS + 1, oldestFirst: true });
      const truncated = rows.length > MAX_TRACK_ALARMS;
      if (truncated) rows.pop();
      return { truncated, alarms: rows.map((a) => ({ id: a.id, kind: a.kind, time: a.occurredAt.getTime(), lat: a.lat, lon: a.lon, state: a.state })) };
    },
  };
}

async function visibleDevices(request: FastifyRequest, ids: readonly number[]): Promise<TrackMeta[]> {
  const metas: TrackMeta[] = [];
  for (const id of ids) {
    const device = await findDeviceById(request.server.db, id);
    if (!device || !(await canSeeUnit(request, device.unitId))) throw notFound('device', id);
    metas.push({ deviceId: device.id, uniqueId: device.uniqueId, name: device.name, plate: device.plate });
  }
  return metas;
}

const TRACK_STREAM_BUFFER_BYTES = 3 * 1024 * 1024;

function sendTracks(request: FastifyRequest, reply: FastifyReply, query: TrackQuery, metas: TrackMeta[]): FastifyReply {
  const fromMs = requestTimeMs(query.from, 'from');
  const toMs = requestTimeMs(query.to, 'to');
  if (!(toMs > fromMs)) throw new HttpError(400, '`to` must be later than `from`', 'to');
  if (toMs - fromMs > MAX_PERIOD_MS) throw new HttpError(400, 'the period from `from` to `to` may not exceed 366 days', 'to');
  const format: TrackFormat = query.format ?? 'json';
  const writer = createTrackWriter(format);
  const settings = {
    ...DEFAULT_TRACK_SETTINGS,
    ...(query.stopSpeedKmh !== undefined && { stopSpeedKmh: query.stopSpeedKmh }),
    ...(query.minStopSeconds !== undefined && { minStopSeconds: query.minStopSeconds }),
  };
  const chunks = streamTracks(trackSource(request.server.db), writer, { fromMs, toMs, toleranceM: query.tolerance ?? null }, metas, settings);
  const name = metas.length === 1 ? `track-${metas[0]!.deviceId}` : 'tracks';
  return reply
    .type(writer.contentType)
    .header('content-disposition', `inline; filename="${name}.${writer.extension}"`)
    // Room for about two pages (a json page of 10 000 fixes is ~1.3 MB): the next page is made while the socket
    // sends this one, instead of waiting for it to drain to the 16 KB default. Memory stays bounded by it.
    .send(Readable.from(chunks, { objectMode: false, highWaterMark: TRACK_STREAM_BUFFER_BYTES }));
}

/** Track playback for auditors: one device or several for synchronised playback, streamed page by page. */
const tracks: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/devices/:id/track',
    {
      schema: { tags: ['tracks'], description: TRACK_DESCRIPTION, params: IdParams, querystring: TrackQuery, response: { 200: TrackResponse, ...errors(400, 401, 404) } },
    },
    async (request, reply) => sendTracks(request, reply, request.query, await visibleDevices(request, [request.params.id])),
  );

  app.get(
    '/api/tracks',
    { schema: { tags: ['tracks'], description: TRACK_DESCRIPTION, querystring: TracksQuery, response: { 200: TrackResponse, ...errors(400, 401, 404) } } },
    async (request, reply) => {
      const ids = [...new Set(request.query.deviceIds.split(',').map(Number))];
      return sendTracks(request, reply, request.query, await visibleDevices(request, ids));
    },
  );
};

export default tracks;
