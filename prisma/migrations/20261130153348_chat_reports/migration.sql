-- CreateTable
CREATE TABLE "chat_reports" (
    "id" UUID NOT NULL,
    "area" TEXT NOT NULL,
    "room_id" TEXT NOT NULL,
    "reporter_id" UUID NOT NULL,
    "reporter_name" TEXT NOT NULL,
    "reported_id" UUID NOT NULL,
    "reported_name" TEXT NOT NULL,
    "line" JSONB NOT NULL,
    "context" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "chat_reports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "chat_reports_resolved_at_created_at_idx" ON "chat_reports"("resolved_at", "created_at");

-- CreateIndex
CREATE INDEX "chat_reports_reported_id_idx" ON "chat_reports"("reported_id");
