-- Every node caches the plan catalog; any change to the plan table, made through the API or directly
-- in SQL (psql, the Supabase dashboard), tells every node to reload it.
CREATE FUNCTION plan_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('tollgate_plans', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER plan_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plan
    FOR EACH STATEMENT EXECUTE FUNCTION plan_notify();
