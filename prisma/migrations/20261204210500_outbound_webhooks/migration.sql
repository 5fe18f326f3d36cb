-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'SENDING', 'SUCCEEDED', 'FAILED');

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "expiryAnnounced" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "eventTypes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "secretEnc" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabledReason" TEXT,
    "disabledAt" TIMESTAMP(3),
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "createdByUserId" TEXT,
    "createdByLabel" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "eventId" TEXT NOT NULL,
    "auditEventId" TEXT,
    "type" TEXT NOT NULL,
    "payload" TEXT,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMP(3),
    "lastResponseStatus" INTEGER,
    "lastResponseBody" TEXT,
    "lastError" TEXT,
    "lastDurationMs" INTEGER,
    "succeededAt" TIMESTAMP(3),
    "replayOfId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookEndpoint_organizationId_createdAt_idx" ON "WebhookEndpoint"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_status_seq_idx" ON "WebhookDelivery"("endpointId", "status", "seq");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_seq_idx" ON "WebhookDelivery"("endpointId", "seq" DESC);

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_seq_key" ON "WebhookDelivery"("seq");

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Outbound webhooks are derived from the audit log: every change already writes its audit row in
-- its own transaction, so a trigger on that insert fans the event out to the organization's
-- subscribed, enabled endpoints in the SAME transaction. An event therefore exists exactly when
-- its change committed: none is missed, none is invented by a rolled-back change.
-- Prisma does not model functions or triggers; `prisma migrate diff` leaves them alone
-- (lib/outbound-webhooks/fan-out.int.test.ts checks that no drift is reported).
-- Audit action -> public event type (docs/outbound-webhooks.md). NULL: not published.
CREATE FUNCTION outbound_webhook_event_type(action text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE action
    WHEN 'invitation.created' THEN 'invitation.created'
    WHEN 'invitation.accepted' THEN 'invitation.accepted'
    WHEN 'invitation.revoked' THEN 'invitation.revoked'
    WHEN 'invitation.expired' THEN 'invitation.expired'
    WHEN 'member.joined' THEN 'member.joined'
    WHEN 'member.role_changed' THEN 'member.role_changed'
    WHEN 'member.removed' THEN 'member.removed'
    WHEN 'member.left' THEN 'member.removed'
    WHEN 'member.account_deleted' THEN 'member.removed'
    WHEN 'request.created' THEN 'request.created'
    WHEN 'request.approved' THEN 'request.approved'
    WHEN 'request.denied' THEN 'request.denied'
  END
$$;

-- Statement-level: bulk paths insert hundreds of audit rows in one INSERT (lib/audit/record.ts
-- recordAudits); one INSERT ... SELECT here serves them all. Ordered by the audit log's own order
-- (createdAt, id) so seq follows it.
CREATE FUNCTION outbound_webhook_fan_out() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WebhookDelivery" ("id", "endpointId", "organizationId", "eventId", "auditEventId", "type", "updatedAt")
  SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), e."id", a."organizationId", 'evt_' || a."id", a."id", t.type, now()
  FROM new_audit_rows a
  CROSS JOIN LATERAL (SELECT outbound_webhook_event_type(a."action") AS type) t
  JOIN "WebhookEndpoint" e
    ON e."organizationId" = a."organizationId"
   AND e."enabled"
   AND (cardinality(e."eventTypes") = 0 OR t.type = ANY (e."eventTypes"))
  WHERE t.type IS NOT NULL
  ORDER BY a."createdAt", a."id", e."id";
  RETURN NULL;
END
$$;

CREATE TRIGGER "AuditEvent_outbound_webhooks"
AFTER INSERT ON "AuditEvent"
REFERENCING NEW TABLE AS new_audit_rows
FOR EACH STATEMENT EXECUTE FUNCTION outbound_webhook_fan_out();
