-- CreateEnum
CREATE TYPE "SanctionKind" AS ENUM ('ban', 'mute', 'kick', 'session_end');

-- AlterTable
ALTER TABLE "audit_entries" ADD COLUMN     "ip" TEXT,
ADD COLUMN     "reason" TEXT,
ADD COLUMN     "service" TEXT NOT NULL DEFAULT 'social';

-- CreateTable
CREATE TABLE "sanctions" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "kind" "SanctionKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ends_at" TIMESTAMPTZ(3),
    "issued_by_id" UUID,
    "lifted_by_id" UUID,
    "lifted_at" TIMESTAMPTZ(3),
    "lift_reason" TEXT,
    "session_id" UUID,

    CONSTRAINT "sanctions_pkey" PRIMARY KEY ("id")
);

-- Bans set directly in the former column become sanctions with no issuer, so that none is lost.
INSERT INTO "sanctions" ("id", "account_id", "kind", "reason", "starts_at", "ends_at")
SELECT gen_random_uuid(), "id", 'ban', 'carried over from accounts.banned_until', CURRENT_TIMESTAMP, "banned_until"
FROM "accounts" WHERE "banned_until" > CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "accounts" DROP COLUMN "banned_until";

-- CreateIndex
CREATE INDEX "sanctions_account_id_starts_at_idx" ON "sanctions"("account_id", "starts_at");

-- CreateIndex
CREATE INDEX "sanctions_lifted_at_ends_at_idx" ON "sanctions"("lifted_at", "ends_at");

-- CreateIndex
CREATE INDEX "audit_entries_actor_id_created_at_idx" ON "audit_entries"("actor_id", "created_at");

-- AddForeignKey
ALTER TABLE "sanctions" ADD CONSTRAINT "sanctions_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sanctions" ADD CONSTRAINT "sanctions_issued_by_id_fkey" FOREIGN KEY ("issued_by_id") REFERENCES "accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sanctions" ADD CONSTRAINT "sanctions_lifted_by_id_fkey" FOREIGN KEY ("lifted_by_id") REFERENCES "accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;
