-- Raw frames as received (and replies as sent), for diagnosing terminals. Optional and off by default
-- (ingest writes here only when RAW_FRAMES_ARCHIVE is on), with its own retention. No key: an archive keeps
-- a resent frame as often as it came.
CREATE TABLE raw_frames (
  received_at timestamptz NOT NULL,
  -- Null until the session knows which terminal it talks to (a login from an unknown IMEI).
  device_id integer,
  protocol text NOT NULL CHECK (protocol IN ('gt06', 'jt808')),
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  remote_address text,
  frame bytea NOT NULL
)
--! if timescale
;
SELECT create_hypertable('raw_frames', by_range('received_at', INTERVAL '1 day'));
--! else
  PARTITION BY RANGE (received_at);
CREATE TABLE raw_frames_default PARTITION OF raw_frames DEFAULT;
--! end
CREATE INDEX raw_frames_device_idx ON raw_frames (device_id, received_at);
