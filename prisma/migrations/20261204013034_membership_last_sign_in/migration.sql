-- The team page's last sign-in per organization (lib/members/sign-ins.ts).
ALTER TABLE "Membership" ADD COLUMN     "lastSignInAt" TIMESTAMP(3),
ADD COLUMN     "lastSignInMethod" TEXT;

-- Sort by last sign-in and the "inactive for N days" range.
CREATE INDEX "Membership_organizationId_lastSignInAt_id_idx" ON "Membership"("organizationId", "lastSignInAt", "id");

-- Sign-ins made before this migration are in the audit log (session.signed_in, written by the
-- callback per organization with the method): the latest one per member, so nobody who signed in
-- reads as "Never" on the first deploy.
UPDATE "Membership" AS m
SET "lastSignInAt" = s."at", "lastSignInMethod" = s."method"
FROM (
  SELECT DISTINCT ON ("organizationId", "actorId") "organizationId", "actorId", "createdAt" AS "at", "metadata"->>'authMethod' AS "method"
  FROM "AuditEvent"
  WHERE "action" = 'session.signed_in' AND "actorType" = 'user' AND "actorId" IS NOT NULL
  ORDER BY "organizationId", "actorId", "createdAt" DESC
) AS s
WHERE m."organizationId" = s."organizationId" AND m."userId" = s."actorId";
