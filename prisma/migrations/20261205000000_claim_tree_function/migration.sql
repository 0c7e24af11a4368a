-- A tree's claim (server/engine/tree-claim.ts) in one statement. The claim counts its experiment's live claims
-- under a per-experiment advisory lock, and the count must be read after the lock is granted (or two claims racing
-- for the last slot would both see it free). In plain SQL that takes a transaction of two statements, BEGIN and
-- COMMIT included: four round trips, with the lock held across the worker's event loop for two of them. Inside a
-- PL/pgSQL function each statement takes a fresh snapshot, so the count below sees every claim committed before the
-- lock was granted; the lock is released when the caller's statement commits.
CREATE FUNCTION o1c_claim_tree(tree_id text, claim_token text, worker_id text, stale_secs double precision)
RETURNS TABLE ("experimentId" text, "problemId" text, "attempts" integer, "experimentStatus" text, "atLimit" boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
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
