-- AlterTable
ALTER TABLE "characters" ADD COLUMN     "hp" INTEGER;

-- CreateTable
CREATE TABLE "reward_grants" (
    "death_id" TEXT NOT NULL,
    "character_id" UUID NOT NULL,
    "xp" INTEGER NOT NULL,
    "kills" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reward_grants_pkey" PRIMARY KEY ("death_id","character_id")
);

-- CreateIndex
CREATE INDEX "reward_grants_character_id_idx" ON "reward_grants"("character_id");

-- CreateIndex
CREATE INDEX "reward_grants_created_at_idx" ON "reward_grants"("created_at");

-- AddForeignKey
ALTER TABLE "reward_grants" ADD CONSTRAINT "reward_grants_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;
