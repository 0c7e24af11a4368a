-- AlterTable
ALTER TABLE "TreeNode" ADD COLUMN     "topLevelStderr" TEXT,
ADD COLUMN     "topLevelStdout" TEXT;
