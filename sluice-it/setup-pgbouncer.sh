#!/usr/bin/env bash
# Starts a PgBouncer in transaction mode on 127.0.0.1:6432 in front of the local PostgreSQL, for
# the "behind PgBouncer" tests (PgBouncerTest). Idempotent; .ci/run calls it as root after the
# databases are up. Run it by hand the same way.
#
# Debian's pgbouncer package is installed when missing. Its own service is left alone: this one
# runs from a directory of its own with its own config, as the postgres user (pgbouncer refuses
# to run as root), and only when nothing listens on the port yet. The local PostgreSQL trusts
# loopback connections, so PgBouncer passes clients through with auth_type = trust.
#
# Environment: PGHOST/PGPORT (the PostgreSQL behind it, default 127.0.0.1:5432),
# PGBOUNCER_PORT (default 6432), PGBOUNCER_DIR (default /var/lib/sluice-pgbouncer).
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PORT=${PGBOUNCER_PORT:-6432}
DIR=${PGBOUNCER_DIR:-/var/lib/sluice-pgbouncer}
RUN_AS=postgres

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if port_open "$PORT"; then
    echo "setup-pgbouncer: something already listens on 127.0.0.1:$PORT, leaving it"
    exit 0
fi

if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
    echo "setup-pgbouncer: installing pgbouncer"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq pgbouncer >/dev/null
fi
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)

mkdir -p "$DIR"
cat > "$DIR/pgbouncer.ini" <<INI
; Written by sluice-it/setup-pgbouncer.sh; rewritten on every run.
[databases]
* = host=$PGHOST port=$PGPORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 10
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
INI
printf '"postgres" ""\n' > "$DIR/userlist.txt"
chown -R "$RUN_AS" "$DIR"

# -d daemonizes; -u drops root for the postgres user.
if [ "$(id -u)" = 0 ]; then
    "$PGBOUNCER" -d -u "$RUN_AS" "$DIR/pgbouncer.ini"
else
    "$PGBOUNCER" -d "$DIR/pgbouncer.ini"
fi

for _ in $(seq 1 40); do
    if port_open "$PORT"; then
        echo "setup-pgbouncer: pgbouncer $("$PGBOUNCER" --version | head -n1 | awk '{print $2}') listening on 127.0.0.1:$PORT (transaction mode)"
        exit 0
    fi
    sleep 0.25
done
echo "setup-pgbouncer: pgbouncer did not come up on 127.0.0.1:$PORT; see $DIR/pgbouncer.log" >&2
exit 1
