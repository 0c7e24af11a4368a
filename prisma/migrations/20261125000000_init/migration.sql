-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ProblemKind" AS ENUM ('function', 'stdio');

-- CreateEnum
CREATE TYPE "TestOrigin" AS ENUM ('dataset-visible', 'dataset-hidden', 'generated');

-- CreateEnum
CREATE TYPE "TestKind" AS ENUM ('assert', 'stdio', 'call');

-- CreateEnum
CREATE TYPE "ValidationStatus" AS ENUM ('unvalidated', 'valid', 'invalid');

-- CreateEnum
CREATE TYPE "ExperimentStatus" AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "TreeStatus" AS ENUM ('pending', 'running', 'done', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "ExecutionStatus" AS ENUM ('pass', 'fail', 'error', 'timeout', 'memory', 'output-limit', 'crash');

-- CreateEnum
CREATE TYPE "PreferenceSource" AS ENUM ('human', 'search');

-- CreateEnum
CREATE TYPE "PreferenceVerdict" AS ENUM ('prefer', 'tie', 'both-bad');

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "sourceFile" TEXT,
    "sourceSha256" TEXT,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Problem" (
    "id" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "kind" "ProblemKind" NOT NULL DEFAULT 'function',
    "title" TEXT,
    "statement" TEXT NOT NULL,
    "entryPoint" TEXT,
    "signature" TEXT,
    "referenceSolution" TEXT,
    "testSetupCode" TEXT NOT NULL DEFAULT '',
    "split" TEXT,
    "contentHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Problem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TestCase" (
    "id" TEXT NOT NULL,
    "problemId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "origin" "TestOrigin" NOT NULL,
    "kind" "TestKind" NOT NULL,
    "input" TEXT NOT NULL,
    "expected" TEXT,
    "atol" DOUBLE PRECISION,
    "validation" "ValidationStatus" NOT NULL DEFAULT 'unvalidated',
    "validationNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TestCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Experiment" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "status" "ExperimentStatus" NOT NULL DEFAULT 'queued',
    "config" JSONB NOT NULL,
    "mode" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "llmBaseUrl" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "metrics" JSONB,
    "error" TEXT,
    "eventSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Experiment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchTree" (
    "id" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "problemId" TEXT NOT NULL,
    "status" "TreeStatus" NOT NULL DEFAULT 'pending',
    "rolloutsDone" INTEGER NOT NULL DEFAULT 0,
    "finalNodeId" TEXT,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "llmCalls" INTEGER NOT NULL DEFAULT 0,
    "metrics" JSONB,
    "error" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SearchTree_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TreeNode" (
    "id" TEXT NOT NULL,
    "treeId" TEXT NOT NULL,
    "parentId" TEXT,
    "seq" INTEGER NOT NULL,
    "depth" INTEGER NOT NULL,
    "stepIndex" INTEGER NOT NULL,
    "actionKind" TEXT NOT NULL,
    "stepText" TEXT NOT NULL,
    "code" TEXT,
    "visits" INTEGER NOT NULL DEFAULT 0,
    "valueSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "prior" DOUBLE PRECISION,
    "prmScore" DOUBLE PRECISION,
    "isTerminal" BOOLEAN NOT NULL DEFAULT false,
    "reward" DOUBLE PRECISION,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TreeNode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Execution" (
    "id" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "testCaseId" TEXT NOT NULL,
    "status" "ExecutionStatus" NOT NULL,
    "errorType" TEXT,
    "errorMessage" TEXT,
    "stdout" TEXT,
    "stderr" TEXT,
    "durationMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Execution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StepPreference" (
    "id" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "chosenNodeId" TEXT NOT NULL,
    "rejectedNodeId" TEXT NOT NULL,
    "source" "PreferenceSource" NOT NULL,
    "verdict" "PreferenceVerdict" NOT NULL DEFAULT 'prefer',
    "annotator" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StepPreference_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentEvent" (
    "id" BIGSERIAL NOT NULL,
    "experimentId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExperimentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_name_key" ON "Dataset"("name");

-- CreateIndex
CREATE INDEX "Problem_datasetId_ordinal_idx" ON "Problem"("datasetId", "ordinal");

-- CreateIndex
CREATE UNIQUE INDEX "Problem_datasetId_externalId_key" ON "Problem"("datasetId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "TestCase_problemId_origin_ordinal_key" ON "TestCase"("problemId", "origin", "ordinal");

-- CreateIndex
CREATE INDEX "Experiment_status_createdAt_idx" ON "Experiment"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Experiment_datasetId_idx" ON "Experiment"("datasetId");

-- CreateIndex
CREATE INDEX "SearchTree_experimentId_status_idx" ON "SearchTree"("experimentId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SearchTree_experimentId_problemId_key" ON "SearchTree"("experimentId", "problemId");

-- CreateIndex
CREATE INDEX "TreeNode_parentId_idx" ON "TreeNode"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "TreeNode_treeId_seq_key" ON "TreeNode"("treeId", "seq");

-- CreateIndex
CREATE INDEX "Execution_testCaseId_idx" ON "Execution"("testCaseId");

-- CreateIndex
CREATE UNIQUE INDEX "Execution_nodeId_testCaseId_key" ON "Execution"("nodeId", "testCaseId");

-- CreateIndex
CREATE INDEX "StepPreference_experimentId_createdAt_idx" ON "StepPreference"("experimentId", "createdAt");

-- CreateIndex
CREATE INDEX "StepPreference_chosenNodeId_idx" ON "StepPreference"("chosenNodeId");

-- CreateIndex
CREATE INDEX "StepPreference_rejectedNodeId_idx" ON "StepPreference"("rejectedNodeId");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentEvent_experimentId_seq_key" ON "ExperimentEvent"("experimentId", "seq");

-- AddForeignKey
ALTER TABLE "Problem" ADD CONSTRAINT "Problem_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestCase" ADD CONSTRAINT "TestCase_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Experiment" ADD CONSTRAINT "Experiment_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SearchTree" ADD CONSTRAINT "SearchTree_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SearchTree" ADD CONSTRAINT "SearchTree_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TreeNode" ADD CONSTRAINT "TreeNode_treeId_fkey" FOREIGN KEY ("treeId") REFERENCES "SearchTree"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TreeNode" ADD CONSTRAINT "TreeNode_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "TreeNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Execution" ADD CONSTRAINT "Execution_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "TreeNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Execution" ADD CONSTRAINT "Execution_testCaseId_fkey" FOREIGN KEY ("testCaseId") REFERENCES "TestCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StepPreference" ADD CONSTRAINT "StepPreference_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StepPreference" ADD CONSTRAINT "StepPreference_chosenNodeId_fkey" FOREIGN KEY ("chosenNodeId") REFERENCES "TreeNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StepPreference" ADD CONSTRAINT "StepPreference_rejectedNodeId_fkey" FOREIGN KEY ("rejectedNodeId") REFERENCES "TreeNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentEvent" ADD CONSTRAINT "ExperimentEvent_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

