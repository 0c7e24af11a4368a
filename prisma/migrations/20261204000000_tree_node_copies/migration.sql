-- Identical sibling samples are one node; copies counts how many of the request's n samples wrote its text.
-- AlterTable
ALTER TABLE "TreeNode" ADD COLUMN     "copies" INTEGER NOT NULL DEFAULT 1;
