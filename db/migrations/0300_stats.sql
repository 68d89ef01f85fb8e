-- Statistics over tickets: keep the closure deadline a ticket had when it was closed, and index what the
-- statistics filter on.

-- A closing step clears due_at (a closed ticket has no deadline left), yet 按期结案 asks whether the closure
-- met it. Kept by a trigger so that every path that closes a ticket records it, whichever code runs it.
ALTER TABLE tickets ADD COLUMN closed_due_at timestamptz;

CREATE FUNCTION tickets_keep_closure_deadline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'closed' AND OLD.status IS DISTINCT FROM 'closed' THEN
    NEW.closed_due_at := COALESCE(OLD.due_at, NEW.due_at);
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER tickets_keep_closure_deadline BEFORE UPDATE OF status ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_keep_closure_deadline();

-- Workload counts steps by who took them within a period; follow-up satisfaction counts visits done in it.
CREATE INDEX ticket_events_at_idx ON ticket_events (at);
CREATE INDEX followups_done_at_idx ON followups (done_at) WHERE status = 'done';
