// The WebSocket protocol of /api/live, shown in the route's schema and in the OpenAPI document's description
// (OpenAPI has no way to describe a WebSocket, and the swagger plugin leaves such routes out).
export const LIVE_DESCRIPTION = `WebSocket. Authenticate with \`?token=<login token>\` (or an Authorization header).
The server sends \`{ "type": "hello", "tickMs" }\`, then once per tick, only when something changed that the
client may see, \`{ "type": "tick", "time", "positions": [{ deviceId, fixTime, lat, lon, speedKmh, course, valid,
alarms? (raised since the last tick) }], "statuses": [{ deviceId, status }], "devices": [{ deviceId, dispatchStatus } | { deviceId, deleted }] }\`,
each device at most once per tick (its newest change). By default a client gets every device of its unit subtree;
it narrows that with \`{ "type": "subscribe", "bbox": [west, south, east, north] | null, "deviceIds": [..] | null }\`
(answered \`{ "type": "subscribed", ... }\`). Load the starting picture from GET /api/positions/latest.
Alarm changes are not coalesced: each one is sent at once as \`{ "type": "alarm", "change": "raised" | "acknowledged" |
"assigned" | "resolved", "time", "alarm": <the alarm as GET /api/alarms/{id} returns it> }\` to every client whose unit
subtree holds the alarm's unit, whatever its subscription; load the unresolved ones from GET /api/alarms at start and
after a reconnect. The socket is closed with code 4001 within 5 s of its token expiring or being revoked: sign in
again before reconnecting.`;
