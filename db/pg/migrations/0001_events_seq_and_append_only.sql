-- The head of the log: one row holding the last seq handed out. A transaction that writes events
-- locks it first (events_lock_log, which the store calls before its first read) and keeps it to its
-- commit, so events commit in seq order and a reader never sees seq 12 before seq 11
-- (docs/architecture.md, "PostgreSQL: one gap-free seq").
CREATE TABLE "event_log_head" (
	"one" boolean PRIMARY KEY DEFAULT true CHECK ("one"),
	"seq" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "event_log_head" ("one", "seq") VALUES (true, 0);
--> statement-breakpoint
CREATE FUNCTION "events_lock_log"() RETURNS bigint LANGUAGE sql AS $$
  SELECT "seq" FROM "event_log_head" FOR UPDATE
$$;
--> statement-breakpoint
-- Every insert takes its seq from the head, whoever runs it: an insert that skipped events_lock_log
-- still waits for the head's lock here. A rolled-back append (or savepoint) gives its number back.
CREATE FUNCTION "events_next_seq"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "event_log_head" SET "seq" = "seq" + 1 RETURNING "seq" INTO NEW."seq";
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "events_seq" BEFORE INSERT ON "events" FOR EACH ROW EXECUTE FUNCTION "events_next_seq"();
--> statement-breakpoint
CREATE FUNCTION "refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "events_append_only" BEFORE UPDATE OR DELETE ON "events" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "account_audit_append_only" BEFORE UPDATE OR DELETE ON "account_audit" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "unit_identity_append_only" BEFORE UPDATE OR DELETE ON "unit_identity" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "unit_equipment_append_only" BEFORE UPDATE OR DELETE ON "unit_equipment" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
