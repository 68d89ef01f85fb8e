-- The terminal order's progress (sent, acknowledged, failed) joins the ticket's timeline. Every API process
-- hears the same progress event from ingest; this index lets exactly one of them record it.
CREATE UNIQUE INDEX ticket_events_order_progress_idx ON ticket_events (ticket_id, kind, (details->>'commandId'))
  WHERE kind IN ('order_sent', 'order_acknowledged', 'order_failed');
