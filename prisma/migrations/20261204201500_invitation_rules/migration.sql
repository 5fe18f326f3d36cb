-- CreateEnum
CREATE TYPE "InvitationRuleKind" AS ENUM ('REQUIRE_APPROVAL_OUTSIDE_DOMAINS', 'REQUIRE_APPROVAL_FOR_ROLES', 'DAILY_LIMIT_PER_INVITER', 'EXTERNAL_DOMAINS_ROLE');

-- AlterEnum
ALTER TYPE "BulkInviteRowStatus" ADD VALUE 'HELD';

-- CreateTable
CREATE TABLE "InvitationRule" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "kind" "InvitationRuleKind" NOT NULL,
    "parameters" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL,
    "createdByUserId" TEXT,
    "createdByLabel" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InvitationRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InvitationRule_organizationId_position_idx" ON "InvitationRule"("organizationId", "position");

-- AddForeignKey
ALTER TABLE "InvitationRule" ADD CONSTRAINT "InvitationRule_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
