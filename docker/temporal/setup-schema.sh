#!/bin/sh
# Creates Temporal's two databases and brings their schemas to the version this admin-tools
# image ships. Every step is idempotent, so this runs on each `docker compose up`.
# Connection settings come from SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD.
set -eu

schema_root=/etc/temporal/schema/postgresql/v12

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) versioned="$schema_root/temporal/versioned" ;;
    *) versioned="$schema_root/visibility/versioned" ;;
  esac
  echo "temporal-schema: preparing database $db"
  temporal-sql-tool --db "$db" create-database
  # Installs only the version tables, and leaves a database that already has a schema alone.
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$versioned"
done

echo 'temporal-schema: done'
