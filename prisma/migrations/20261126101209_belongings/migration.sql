-- AlterTable
ALTER TABLE "characters" ADD COLUMN     "gold" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "hidden" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "last_seen_at" TIMESTAMPTZ(3),
ADD COLUMN     "monsters_defeated" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "inventory_slots" (
    "character_id" UUID NOT NULL,
    "slot" INTEGER NOT NULL,
    "item_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "inventory_slots_pkey" PRIMARY KEY ("character_id","slot")
);

-- CreateTable
CREATE TABLE "equipped_items" (
    "character_id" UUID NOT NULL,
    "slot" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,

    CONSTRAINT "equipped_items_pkey" PRIMARY KEY ("character_id","slot")
);

-- CreateIndex
CREATE INDEX "characters_level_xp_idx" ON "characters"("level", "xp");

-- AddForeignKey
ALTER TABLE "inventory_slots" ADD CONSTRAINT "inventory_slots_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "equipped_items" ADD CONSTRAINT "equipped_items_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;
