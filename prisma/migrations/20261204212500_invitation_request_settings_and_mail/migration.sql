-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "membersMayRequest" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "OutgoingEmail" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutgoingEmail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OutgoingEmail_key_key" ON "OutgoingEmail"("key");

-- CreateIndex
CREATE INDEX "OutgoingEmail_to_createdAt_idx" ON "OutgoingEmail"("to", "createdAt" DESC);

