-- CreateEnum
CREATE TYPE "DirectoryJoinMode" AS ENUM ('MEMBERS', 'INVITATIONS');

-- CreateTable
CREATE TABLE "DirectorySettings" (
    "organizationId" TEXT NOT NULL,
    "joinAs" "DirectoryJoinMode" NOT NULL DEFAULT 'MEMBERS',
    "lastReconcileAt" TIMESTAMP(3),
    "lastReconcileResult" JSONB,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DirectorySettings_pkey" PRIMARY KEY ("organizationId")
);

-- CreateTable
CREATE TABLE "DirectoryGroup" (
    "organizationId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "directoryId" TEXT,
    "displayName" TEXT NOT NULL,
    "role" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DirectoryGroup_pkey" PRIMARY KEY ("organizationId","id")
);

-- CreateTable
CREATE TABLE "DirectoryUser" (
    "organizationId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "active" BOOLEAN NOT NULL,
    "groupIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DirectoryUser_pkey" PRIMARY KEY ("organizationId","id")
);

-- CreateIndex
CREATE INDEX "DirectoryUser_organizationId_email_idx" ON "DirectoryUser"("organizationId", "email");

-- AddForeignKey
ALTER TABLE "DirectorySettings" ADD CONSTRAINT "DirectorySettings_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectoryGroup" ADD CONSTRAINT "DirectoryGroup_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectoryUser" ADD CONSTRAINT "DirectoryUser_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

