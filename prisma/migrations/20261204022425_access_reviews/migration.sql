-- CreateEnum
CREATE TYPE "AccessReviewStatus" AS ENUM ('IN_PROGRESS', 'FINISHED');

-- CreateEnum
CREATE TYPE "AccessReviewDecision" AS ENUM ('KEEP', 'CHANGE_ROLE', 'REMOVE');

-- CreateEnum
CREATE TYPE "AccessReviewOutcome" AS ENUM ('APPLIED', 'UNCHANGED', 'FAILED');

-- CreateTable
CREATE TABLE "AccessReview" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "openFor" TEXT,
    "status" "AccessReviewStatus" NOT NULL DEFAULT 'IN_PROGRESS',
    "organizationName" TEXT NOT NULL,
    "startedByUserId" TEXT,
    "startedByEmail" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedByUserId" TEXT,
    "finishedByEmail" TEXT,
    "finishedAt" TIMESTAMP(3),
    "finishingUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AccessReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessReviewItem" (
    "id" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "membershipId" TEXT NOT NULL,
    "userId" TEXT,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "role" TEXT NOT NULL,
    "status" "MembershipStatus" NOT NULL,
    "lastSignInAt" TIMESTAMP(3),
    "signInMethod" TEXT,
    "openSessions" INTEGER NOT NULL,
    "apiKeys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "decision" "AccessReviewDecision",
    "newRole" TEXT,
    "note" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decidedByEmail" TEXT,
    "outcome" "AccessReviewOutcome",
    "outcomeMessage" TEXT,
    "retryable" BOOLEAN NOT NULL DEFAULT false,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "AccessReviewItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AccessReview_openFor_key" ON "AccessReview"("openFor");

-- CreateIndex
CREATE INDEX "AccessReview_organizationId_startedAt_idx" ON "AccessReview"("organizationId", "startedAt" DESC);

-- CreateIndex
CREATE INDEX "AccessReviewItem_reviewId_email_idx" ON "AccessReviewItem"("reviewId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "AccessReviewItem_reviewId_membershipId_key" ON "AccessReviewItem"("reviewId", "membershipId");

-- AddForeignKey
ALTER TABLE "AccessReview" ADD CONSTRAINT "AccessReview_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessReviewItem" ADD CONSTRAINT "AccessReviewItem_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "AccessReview"("id") ON DELETE CASCADE ON UPDATE CASCADE;
