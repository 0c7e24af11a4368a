-- Wakes live event streams instead of having each one poll the log: every statement that appends events sends one
-- NOTIFY per experiment it touched, delivered at commit (never for a rolled-back append). The payload is the
-- experiment id; listeners then read the log after their last seq, so a notification carries no data to lose.
-- A trigger, not code in each writer, so every path that appends events (the event-log helpers and the engine's
-- batched inserts) wakes the streams.
CREATE FUNCTION "notify_experiment_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('o1c_experiment_events', ids."experimentId") FROM (SELECT DISTINCT "experimentId" FROM inserted) ids;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ExperimentEvent_notify"
  AFTER INSERT ON "ExperimentEvent"
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_experiment_events"();
