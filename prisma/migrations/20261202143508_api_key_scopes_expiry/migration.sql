-- API keys stop acting as admins: each key carries the scopes chosen at creation, and may expire.

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "scopes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Existing keys get the narrowest set that keeps the documented API working: the invitations
-- API (list; invite, resend, revoke). No endpoint for keys reads members, so not members:read.
-- Inviting admins, managing keys, settings and members were never meant for keys and are gone.
UPDATE "ApiKey" SET "scopes" = ARRAY['invitations:read', 'invitations:write']::TEXT[];

-- CreateIndex
CREATE INDEX "ApiKey_organizationId_createdByUserId_idx" ON "ApiKey"("organizationId", "createdByUserId");
