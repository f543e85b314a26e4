-- The reports and exports read a range of days in keyset pages, in SQLite's order (day, booked time, id)
-- compared byte for byte ("C"), whatever the database's collation (server/reports/pg-reports.ts). In that
-- collation each page is a range scan of this index, not a sort of the whole range. PostgreSQL's alone:
-- SQLite compares text byte for byte already, and reads the range through cases_day_idx.
CREATE INDEX "cases_range_order_idx" ON "cases" USING btree ("day" COLLATE "C", "scheduled_at" COLLATE "C", "id" COLLATE "C");
