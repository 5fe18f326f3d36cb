-- CreateEnum
CREATE TYPE "InvitationRequestSource" AS ENUM ('MEMBER', 'RULE', 'DOMAIN');

-- CreateEnum
CREATE TYPE "InvitationRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'DENIED', 'CANCELLED');

-- CreateTable
CREATE TABLE "InvitationRequest" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "pendingEmail" TEXT,
    "name" TEXT,
    "role" TEXT NOT NULL DEFAULT 'member',
    "reason" TEXT,
    "source" "InvitationRequestSource" NOT NULL,
    "status" "InvitationRequestStatus" NOT NULL DEFAULT 'PENDING',
    "origin" TEXT NOT NULL,
    "requestedByUserId" TEXT,
    "requestedByLabel" TEXT,
    "ruleId" TEXT,
    "ruleDescription" TEXT,
    "bulkJobId" TEXT,
    "decidedByUserId" TEXT,
    "decidedByLabel" TEXT,
    "decisionNote" TEXT,
    "decidedAt" TIMESTAMP(3),
    "membershipId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InvitationRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InvitationRequest_organizationId_status_createdAt_id_idx" ON "InvitationRequest"("organizationId", "status", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "InvitationRequest_organizationId_requestedByUserId_createdA_idx" ON "InvitationRequest"("organizationId", "requestedByUserId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "InvitationRequest_organizationId_pendingEmail_key" ON "InvitationRequest"("organizationId", "pendingEmail");

-- AddForeignKey
ALTER TABLE "InvitationRequest" ADD CONSTRAINT "InvitationRequest_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

