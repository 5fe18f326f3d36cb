-- CreateEnum
CREATE TYPE "BulkInviteSource" AS ENUM ('csv', 'directory');

-- AlterTable
ALTER TABLE "BulkInviteJob" ADD COLUMN     "source" "BulkInviteSource" NOT NULL DEFAULT 'csv';

