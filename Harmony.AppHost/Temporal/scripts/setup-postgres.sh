#!/bin/sh
# Creates Temporal's two databases on first run and brings their schemas up to date on every run.
# Runs once in temporalio/admin-tools before the server starts; the password comes from SQL_PASSWORD.
set -eu

for pair in "temporal:temporal" "temporal_visibility:visibility"; do
  db="${pair%%:*}"
  schema="${pair##*:}"
  tool="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -u $POSTGRES_USER -p $DB_PORT --db $db"

  # 'create' fails when the database already exists (a kept data volume): then only the update below is needed.
  if $tool create; then
    echo "Created database $db"
    $tool setup-schema -v 0.0
  else
    echo "Database $db exists (or could not be created); updating its schema"
  fi

  $tool update-schema -d "/etc/temporal/schema/postgresql/v12/$schema/versioned"
done

echo "Temporal schema is up to date"
