-- The log's write lock: every transaction that appends events holds it from its first append (the
-- store takes it before its first read) to its commit, so events commit in seq order and a reader
-- never sees seq 12 before seq 11 (docs/architecture.md, "PostgreSQL: one gap-free seq").
CREATE FUNCTION "events_lock_log"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1128423503, 1);
END
$$;
--> statement-breakpoint
-- seq is the log's length plus one, read under the lock: a rolled-back append leaves no hole behind.
-- Each statement of this (volatile) function reads a fresh snapshot, taken after the lock is held.
CREATE FUNCTION "events_next_seq"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "events_lock_log"();
  SELECT coalesce(max("seq"), 0) + 1 INTO NEW."seq" FROM "events";
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
