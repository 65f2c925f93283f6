#!/bin/sh
# Runs once, when the postgresql volume is created (docker-entrypoint-initdb.d): the runtime
# roles the apps connect as. `migrate` (npm run migrate) grants them their privileges; see
# libs/persistence/src/database-roles.ts. POSTGRES_USER stays the owner of the schema.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DB_PASSWORD" -v notifier_password="$NOTIFIER_DB_PASSWORD" <<'SQL'
CREATE ROLE warm_handover_app LOGIN PASSWORD :'app_password';
CREATE ROLE warm_handover_notifier LOGIN PASSWORD :'notifier_password';
SQL
