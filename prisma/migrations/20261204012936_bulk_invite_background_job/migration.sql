-- AlterEnum
ALTER TYPE "BulkInviteJobStatus" ADD VALUE 'QUEUED';

-- AlterTable
ALTER TABLE "BulkInviteJob" ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "retryAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "BulkInviteRow" ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "claimedBy" TEXT;
