#!/bin/sh
# The streaming replica: copied from the primary on first start (-R makes it follow the primary), then a
# read-only hot standby.
set -eu
export PGDATA=/var/lib/postgresql/data/pgdata
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" \
            -R -X stream --checkpoint=fast; do
        echo "waiting for the primary..."; rm -rf "$PGDATA"; sleep 2
    done
    chmod 700 "$PGDATA"
fi
exec postgres -D "$PGDATA" -c hot_standby=on
