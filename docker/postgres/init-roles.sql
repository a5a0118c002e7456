-- Runs once, when the postgres container starts on an empty data directory, as
-- the bootstrap superuser (POSTGRES_USER) connected to POSTGRES_DB.
--
-- coldtrace_owner   owns the schema and runs the migrations (MIGRATIONS_DATABASE_URL)
-- coldtrace_runtime a group without login: what the services may do, granted by a migration
--                   (never UPDATE, DELETE or TRUNCATE on events)
-- coldtrace_app     the login the api and the projector run as (DATABASE_URL)
--
-- Change the passwords for anything but a local try-out (and in docker-compose.yml).
CREATE ROLE coldtrace_owner LOGIN PASSWORD 'coldtrace-owner';
CREATE ROLE coldtrace_runtime NOLOGIN;
CREATE ROLE coldtrace_app LOGIN PASSWORD 'coldtrace-app' IN ROLE coldtrace_runtime;

-- PostgreSQL 15+: the public schema belongs to the database's owner, so the owner may create tables there.
ALTER DATABASE coldtrace OWNER TO coldtrace_owner;
REVOKE CONNECT, TEMPORARY ON DATABASE coldtrace FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE coldtrace TO coldtrace_runtime;
