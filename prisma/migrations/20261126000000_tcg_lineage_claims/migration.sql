-- CreateEnum
CREATE TYPE "TcgRunStatus" AS ENUM ('running', 'completed', 'failed');

-- AlterTable
ALTER TABLE "TestCase" ADD COLUMN     "tcgRunId" TEXT;

-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "iteration" INTEGER,
ADD COLUMN     "lineageId" TEXT,
ADD COLUMN     "trainedOn" TEXT;

-- AlterTable
ALTER TABLE "SearchTree" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "claimToken" TEXT,
ADD COLUMN     "claimedBy" TEXT,
ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "llmRetries" INTEGER NOT NULL DEFAULT 0;

-- AlterTable (existing judgements get their pair key and an empty annotator instead of NULL)
ALTER TABLE "StepPreference" ADD COLUMN     "pairKey" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "StepPreference" SET "pairKey" = LEAST("chosenNodeId", "rejectedNodeId") || '|' || GREATEST("chosenNodeId", "rejectedNodeId");
UPDATE "StepPreference" SET "annotator" = '' WHERE "annotator" IS NULL;
ALTER TABLE "StepPreference" ALTER COLUMN "pairKey" SET NOT NULL,
ALTER COLUMN "updatedAt" DROP DEFAULT,
ALTER COLUMN "annotator" SET NOT NULL,
ALTER COLUMN "annotator" SET DEFAULT '';

-- CreateTable
CREATE TABLE "Lineage" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Lineage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TcgRun" (
    "id" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "status" "TcgRunStatus" NOT NULL DEFAULT 'running',
    "model" TEXT NOT NULL,
    "llmBaseUrl" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "report" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TcgRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TcgProblem" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "problemId" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "completion" TEXT NOT NULL,
    "generated" INTEGER NOT NULL DEFAULT 0,
    "parsed" INTEGER NOT NULL DEFAULT 0,
    "valid" INTEGER NOT NULL DEFAULT 0,
    "invalid" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "dropped" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TcgProblem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Lineage_name_key" ON "Lineage"("name");

-- CreateIndex
CREATE INDEX "TcgRun_datasetId_createdAt_idx" ON "TcgRun"("datasetId", "createdAt");

-- CreateIndex
CREATE INDEX "TcgProblem_problemId_idx" ON "TcgProblem"("problemId");

-- CreateIndex
CREATE UNIQUE INDEX "TcgProblem_runId_problemId_key" ON "TcgProblem"("runId", "problemId");

-- CreateIndex
CREATE INDEX "TestCase_tcgRunId_idx" ON "TestCase"("tcgRunId");

-- CreateIndex
CREATE INDEX "Experiment_lineageId_iteration_idx" ON "Experiment"("lineageId", "iteration");

-- CreateIndex
CREATE INDEX "SearchTree_status_heartbeatAt_idx" ON "SearchTree"("status", "heartbeatAt");

-- CreateIndex
CREATE UNIQUE INDEX "StepPreference_pairKey_source_annotator_key" ON "StepPreference"("pairKey", "source", "annotator");

-- AddForeignKey
ALTER TABLE "TestCase" ADD CONSTRAINT "TestCase_tcgRunId_fkey" FOREIGN KEY ("tcgRunId") REFERENCES "TcgRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Experiment" ADD CONSTRAINT "Experiment_lineageId_fkey" FOREIGN KEY ("lineageId") REFERENCES "Lineage"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TcgRun" ADD CONSTRAINT "TcgRun_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TcgProblem" ADD CONSTRAINT "TcgProblem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "TcgRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TcgProblem" ADD CONSTRAINT "TcgProblem_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

