-- Roles and permissions come from Scalekit: each membership keeps the Teamgate permissions its
-- Scalekit role grants, and each organization a cache of the roles it can hand out.

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "permissions" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "OrganizationRole" (
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "description" TEXT,
    "permissions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "permissionsKnown" BOOLEAN NOT NULL DEFAULT true,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "isOrgRole" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrganizationRole_pkey" PRIMARY KEY ("organizationId","name")
);

-- AddForeignKey
ALTER TABLE "OrganizationRole" ADD CONSTRAINT "OrganizationRole_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing rows get the built-in grants of the two roles Teamgate knew so far; the next sign-in,
-- webhook or resync replaces them with what Scalekit says.
UPDATE "Membership"
SET "permissions" = ARRAY['members:read', 'members:invite', 'members:manage', 'org:settings', 'api_keys:manage', 'audit:read']::TEXT[]
WHERE "role" = 'admin';
UPDATE "Membership" SET "permissions" = ARRAY['members:read']::TEXT[] WHERE "role" = 'member';
