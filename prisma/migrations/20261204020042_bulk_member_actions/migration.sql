-- CreateEnum
CREATE TYPE "BulkMemberActionKind" AS ENUM ('CHANGE_ROLE', 'REMOVE', 'RESEND', 'REVOKE');

-- CreateEnum
CREATE TYPE "BulkMemberActionStatus" AS ENUM ('PREVIEW', 'QUEUED', 'DONE', 'DISCARDED');

-- CreateEnum
CREATE TYPE "BulkMemberRowStatus" AS ENUM ('PENDING', 'RUNNING', 'DONE', 'SKIPPED', 'FAILED');

-- CreateTable
CREATE TABLE "BulkMemberAction" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "kind" "BulkMemberActionKind" NOT NULL,
    "role" TEXT,
    "status" "BulkMemberActionStatus" NOT NULL DEFAULT 'PREVIEW',
    "createdByUserId" TEXT NOT NULL,
    "createdByEmail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "queuedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BulkMemberAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BulkMemberRow" (
    "id" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "membershipId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "roleBefore" TEXT NOT NULL,
    "status" "BulkMemberRowStatus" NOT NULL DEFAULT 'PENDING',
    "reason" TEXT,
    "claimedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BulkMemberRow_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BulkMemberAction_organizationId_createdAt_idx" ON "BulkMemberAction"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "BulkMemberRow_actionId_status_position_idx" ON "BulkMemberRow"("actionId", "status", "position");

-- CreateIndex
CREATE UNIQUE INDEX "BulkMemberRow_actionId_membershipId_key" ON "BulkMemberRow"("actionId", "membershipId");

-- AddForeignKey
ALTER TABLE "BulkMemberAction" ADD CONSTRAINT "BulkMemberAction_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BulkMemberRow" ADD CONSTRAINT "BulkMemberRow_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "BulkMemberAction"("id") ON DELETE CASCADE ON UPDATE CASCADE;
