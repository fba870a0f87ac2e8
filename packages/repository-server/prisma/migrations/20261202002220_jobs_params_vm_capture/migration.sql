-- AlterTable
ALTER TABLE "Vm" ADD COLUMN "captureMethod" TEXT;
ALTER TABLE "Vm" ADD COLUMN "rpoLateSince" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "hostId" TEXT,
    "vmUuid" TEXT,
    "snapshotId" TEXT,
    "repositoryId" TEXT,
    "progress" TEXT NOT NULL,
    "error" TEXT,
    "params" TEXT NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAfter" DATETIME,
    "requestedBy" TEXT NOT NULL DEFAULT 'system',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Job_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Job_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "Snapshot" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Job_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Job" ("attempts", "createdAt", "error", "finishedAt", "hostId", "id", "kind", "progress", "repositoryId", "snapshotId", "startedAt", "state", "vmUuid") SELECT "attempts", "createdAt", "error", "finishedAt", "hostId", "id", "kind", "progress", "repositoryId", "snapshotId", "startedAt", "state", "vmUuid" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE INDEX "Job_state_createdAt_idx" ON "Job"("state", "createdAt");
CREATE INDEX "Job_hostId_state_idx" ON "Job"("hostId", "state");
CREATE INDEX "Job_vmUuid_idx" ON "Job"("vmUuid");
CREATE INDEX "Job_snapshotId_idx" ON "Job"("snapshotId");
CREATE INDEX "Job_repositoryId_idx" ON "Job"("repositoryId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
