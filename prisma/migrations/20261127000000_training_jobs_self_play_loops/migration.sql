-- CreateEnum
CREATE TYPE "TrainingJobStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "LoopStatus" AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');

-- CreateTable
CREATE TABLE "TrainingJob" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipe" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "status" "TrainingJobStatus" NOT NULL DEFAULT 'queued',
    "inputs" JSONB NOT NULL,
    "baseModel" TEXT NOT NULL,
    "initFrom" TEXT,
    "iteration" INTEGER NOT NULL DEFAULT 0,
    "command" TEXT NOT NULL,
    "outputPath" TEXT NOT NULL,
    "logTail" TEXT NOT NULL DEFAULT '',
    "exitCode" INTEGER,
    "handle" TEXT,
    "host" TEXT,
    "loopId" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),

    CONSTRAINT "TrainingJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SelfPlayLoop" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "lineageId" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "status" "LoopStatus" NOT NULL DEFAULT 'queued',
    "iteration" INTEGER NOT NULL DEFAULT 0,
    "stage" TEXT NOT NULL DEFAULT 'eval',
    "state" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "claimedBy" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SelfPlayLoop_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrainingJob_loopId_iteration_idx" ON "TrainingJob"("loopId", "iteration");

-- CreateIndex
CREATE INDEX "TrainingJob_status_idx" ON "TrainingJob"("status");

-- CreateIndex
CREATE UNIQUE INDEX "SelfPlayLoop_name_key" ON "SelfPlayLoop"("name");

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_loopId_fkey" FOREIGN KEY ("loopId") REFERENCES "SelfPlayLoop"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SelfPlayLoop" ADD CONSTRAINT "SelfPlayLoop_lineageId_fkey" FOREIGN KEY ("lineageId") REFERENCES "Lineage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

