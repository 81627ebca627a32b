-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "pushed_at" TIMESTAMPTZ(3);
