-- Test suites: the base verdict decides correctness; MBPP's challenge asserts and EvalPlus's plus inputs are separate,
-- named verdicts (issue 13). Existing rows are classified the way the importers now classify new ones.
CREATE TYPE "TestSuite" AS ENUM ('base', 'challenge', 'plus');

ALTER TABLE "TestCase" ADD COLUMN "suite" "TestSuite" NOT NULL DEFAULT 'base';

-- EvalPlus: every plus_input entry was stored as a hidden CALL test, and no other importer writes CALL tests.
UPDATE "TestCase" AS c SET "suite" = 'plus'
FROM "Problem" AS p JOIN "Dataset" AS d ON d."id" = p."datasetId"
WHERE c."problemId" = p."id" AND d."format" IN ('evalplus-humaneval', 'evalplus-mbpp')
  AND c."origin" = 'dataset-hidden' AND c."kind" = 'call';

-- MBPP: hidden tests were test_list[1:] (ordinals 0 and 1: every MBPP record has three test_list asserts), then
-- challenge_test_list.
UPDATE "TestCase" AS c SET "suite" = 'challenge'
FROM "Problem" AS p JOIN "Dataset" AS d ON d."id" = p."datasetId"
WHERE c."problemId" = p."id" AND d."format" = 'mbpp' AND c."origin" = 'dataset-hidden' AND c."ordinal" >= 2;
