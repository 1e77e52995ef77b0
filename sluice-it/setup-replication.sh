#!/usr/bin/env bash
# A PostgreSQL 15 primary on 127.0.0.1:5440 streaming to a hot standby on 127.0.0.1:5441, for the
# failover tests (FailoverTest). Two clusters of their own, made with pg_createcluster; the main
# cluster on 5432 is never touched. Run as root, as .ci/run does (the servers run as postgres).
#
#   setup-replication.sh [setup]     make (or repair) the pair: 5440 read-write primary, 5441 standby
#                                    streaming from it. Idempotent, and fast when the pair is healthy;
#                                    after a test promoted the standby, stopped the primary or made it
#                                    read-only, it restarts the primary, undoes the read-only setting
#                                    and clones the standby again.
#   setup-replication.sh promote     promote the standby (it becomes a second primary)
#   setup-replication.sh stop-primary  stop the primary (fast shutdown: clients get 57P01)
#   setup-replication.sh teardown    stop and drop both clusters
#
# Environment: PG_VERSION (default 15), PRIMARY_PORT (5440), STANDBY_PORT (5441).
set -euo pipefail

VERSION=${PG_VERSION:-15}
PRIMARY=sluice_primary
STANDBY=sluice_standby
PRIMARY_PORT=${PRIMARY_PORT:-5440}
STANDBY_PORT=${STANDBY_PORT:-5441}
BIN=/usr/lib/postgresql/$VERSION/bin

as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
ctl() { as_postgres pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$@"; }
sql() { as_postgres "$BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -XAtqc "$2" 2>/dev/null; }
exists() { [ -d "/etc/postgresql/$VERSION/$1" ]; }
running() { ctl "$1" status >/dev/null 2>&1; }
log() { echo "setup-replication: $*"; }

create() { # name port
    log "creating cluster $VERSION/$1 on port $2"
    pg_createcluster -p "$2" "$VERSION" "$1" -- -A trust --no-sync >/dev/null
    local conf=/etc/postgresql/$VERSION/$1
    # Small, loopback only, no fsync: throw-away test servers on a machine other tests share.
    cat >> "$conf/postgresql.conf" <<CONF
# sluice-it/setup-replication.sh
listen_addresses = '127.0.0.1'
shared_buffers = 16MB
max_connections = 40
wal_level = replica
max_wal_senders = 5
hot_standby = on
wal_keep_size = 64MB
fsync = off
CONF
    cat > "$conf/pg_hba.conf" <<HBA
# sluice-it/setup-replication.sh: trust on loopback only, replication included
local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
HBA
}

healthy() {
    running "$PRIMARY" && running "$STANDBY" \
        && [ "$(sql "$PRIMARY_PORT" "select pg_is_in_recovery()::text || current_setting('default_transaction_read_only')")" = "falseoff" ] \
        && [ "$(sql "$STANDBY_PORT" "select pg_is_in_recovery()::text || coalesce((select status from pg_stat_wal_receiver), '-')")" = "truestreaming" ]
}

wait_sql() { # port expected query
    for _ in $(seq 1 120); do
        [ "$(sql "$1" "$3")" = "$2" ] && return 0
        sleep 0.25
    done
    log "port $1: '$3' did not become '$2'" >&2
    return 1
}

setup() {
    if healthy; then
        log "primary 127.0.0.1:$PRIMARY_PORT and streaming standby 127.0.0.1:$STANDBY_PORT already up"
        return 0
    fi
    exists "$PRIMARY" || create "$PRIMARY" "$PRIMARY_PORT"
    exists "$STANDBY" || create "$STANDBY" "$STANDBY_PORT"
    running "$PRIMARY" || ctl "$PRIMARY" start
    wait_sql "$PRIMARY_PORT" 1 "select 1"
    if [ "$(sql "$PRIMARY_PORT" "select pg_is_in_recovery()")" != f ]; then
        log "127.0.0.1:$PRIMARY_PORT is not a primary; recreating it" >&2
        pg_dropcluster --stop "$VERSION" "$PRIMARY"
        create "$PRIMARY" "$PRIMARY_PORT"
        ctl "$PRIMARY" start
        wait_sql "$PRIMARY_PORT" 1 "select 1"
    fi
    # A failover test may have made the primary read-only (ALTER SYSTEM); undo it.
    sql "$PRIMARY_PORT" "alter system reset default_transaction_read_only" >/dev/null
    sql "$PRIMARY_PORT" "select pg_reload_conf()" >/dev/null
    wait_sql "$PRIMARY_PORT" off "show default_transaction_read_only"

    # The standby is cloned again whenever it is not streaming: after a promotion its timeline left the primary's.
    log "cloning the standby from the primary"
    running "$STANDBY" && ctl "$STANDBY" stop -m immediate
    local data=/var/lib/postgresql/$VERSION/$STANDBY
    as_postgres find "$data" -mindepth 1 -delete
    as_postgres "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$data" -R -X stream -c fast --no-sync
    ctl "$STANDBY" start
    wait_sql "$STANDBY_PORT" truestreaming "select pg_is_in_recovery()::text || coalesce((select status from pg_stat_wal_receiver), '-')"
    log "primary 127.0.0.1:$PRIMARY_PORT, streaming standby 127.0.0.1:$STANDBY_PORT"
}

case "${1:-setup}" in
    setup) setup ;;
    promote)
        ctl "$STANDBY" promote
        wait_sql "$STANDBY_PORT" f "select pg_is_in_recovery()"
        ;;
    stop-primary) ctl "$PRIMARY" stop -m fast ;;
    teardown)
        for c in "$STANDBY" "$PRIMARY"; do
            if exists "$c"; then
                pg_dropcluster --stop "$VERSION" "$c"
                log "dropped $VERSION/$c"
            fi
        done
        ;;
    *) echo "usage: $0 [setup|promote|stop-primary|teardown]" >&2; exit 2 ;;
esac
