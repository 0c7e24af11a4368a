-- Claims commit asynchronously (synchronous_commit off for the claim's transaction). A claim holds its experiment's
-- advisory lock, and the Experiment row (the tree.started event's seq), until its transaction ends, and a synchronous
-- commit ends only once the WAL is flushed (1-3 ms here): every other claim of the experiment, from every worker, and
-- every progress write of its trees waited behind that flush (`o1c bench engine`, two workers: about half the bench
-- database's active backends sampled were claims waiting for the advisory lock). Nothing needs the claim durable
-- before the search starts: a claim lost in a database crash takes its tree.started event with it (readers see events
-- only once durable, event-log.ts), and the worker's first write, guarded by the claim token, is refused
-- (ClaimLostError), so the tree goes back to the queue, as after any lost claim.
CREATE OR REPLACE FUNCTION o1c_claim_tree(tree_id text, claim_token text, worker_id text, stale_secs double precision)
RETURNS TABLE ("experimentId" text, "problemId" text, "attempts" integer, "experimentStatus" text, "atLimit" boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  -- Until the caller's statement commits: it holds the claims' lock (and the Experiment row, for the event's seq)
  -- through its commit, and a synchronous commit would hold them through a WAL flush too.
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(hashtext('o1c-claims:' || t."experimentId")) FROM "SearchTree" AS t WHERE t."id" = tree_id;
  RETURN QUERY
    WITH target AS (
      SELECT t."id", e."id" AS "experimentId",
        (SELECT count(*) FROM "SearchTree" AS o
          WHERE o."experimentId" = e."id" AND o."id" <> t."id" AND o."claimToken" IS NOT NULL
            AND o."heartbeatAt" >= now() - make_interval(secs => stale_secs))
          >= (e."config"->>'concurrency')::int AS "atLimit"
      FROM "SearchTree" AS t JOIN "Experiment" AS e ON e."id" = t."experimentId"
      WHERE t."id" = tree_id AND e."status" IN ('queued', 'running')
        AND t."status" IN ('pending', 'running', 'cancelled')
        AND (t."claimToken" IS NULL OR t."heartbeatAt" IS NULL OR t."heartbeatAt" < now() - make_interval(secs => stale_secs))
    ), claim AS (
      UPDATE "SearchTree" AS t
      SET "claimToken" = claim_token, "claimedBy" = worker_id, "heartbeatAt" = now(), "attempts" = t."attempts" + 1,
          "status" = 'running', "startedAt" = now(), "error" = NULL
      FROM target, "Experiment" AS e
      WHERE t."id" = target."id" AND NOT target."atLimit" AND e."id" = t."experimentId"
      RETURNING t."experimentId", t."problemId", t."attempts", e."status"::text AS "experimentStatus"
    ), event_seq AS (
      UPDATE "Experiment" SET "eventSeq" = "eventSeq" + 1 FROM claim
      WHERE "Experiment"."id" = claim."experimentId" AND claim."experimentStatus" = 'running'
      RETURNING "Experiment"."eventSeq"
    ), tree_started AS (
      INSERT INTO "ExperimentEvent" ("experimentId", "seq", "type", "payload")
      SELECT claim."experimentId", event_seq."eventSeq", 'tree.started', json_build_object('treeId', tree_id, 'problemId', claim."problemId")
      FROM claim, event_seq
    )
    SELECT claim."experimentId", claim."problemId", claim."attempts", claim."experimentStatus", false FROM claim
    UNION ALL SELECT target."experimentId", NULL::text, NULL::integer, NULL::text, true FROM target WHERE target."atLimit";
END
$$;
