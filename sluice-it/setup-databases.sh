#!/bin/sh
# Prepares the local PostgreSQL and MariaDB for the sluice-it suite. Idempotent; .ci/run calls it
# (as root) after starting the databases and before the tests. Run it by hand the same way.
#
# What the suite needs beyond "the database answers":
#  - a user whose password the server really checks, for the wrong-password tests
#    (AuthenticationTest). MariaDB checks passwords anyway; the local PostgreSQL trusts loopback
#    connections, so a scram-sha-256 rule for that one role goes in front of the trust rules.
#    Without it, the PostgreSQL wrong-password tests are skipped (or fail when CI=true).
#
# Environment: PGHOST/PGPORT (default 127.0.0.1:5432, user postgres), MYSQL_HOST/MYSQL_PORT
# (default 127.0.0.1:3306, user root, empty password).
set -eu

ROLE=sluice_it
PASSWORD=it-secret
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
MYSQL_HOST=${MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${MYSQL_PORT:-3306}

pg() {
    psql -h "$PGHOST" -p "$PGPORT" -U postgres -d test -v ON_ERROR_STOP=1 -Atq "$@"
}

# --- PostgreSQL: a role with a password, and a rule that checks it ---------------------------
pg -c "DO \$\$ BEGIN CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
       EXCEPTION WHEN duplicate_object THEN ALTER ROLE $ROLE LOGIN PASSWORD '$PASSWORD'; END \$\$;"

HBA=$(pg -c "show hba_file")
if ! grep -Eq "^host[[:space:]]+all[[:space:]]+$ROLE[[:space:]]" "$HBA"; then
    if [ ! -w "$HBA" ]; then
        echo "setup-databases: cannot write $HBA (run as root or as the postgres user)" >&2
        exit 1
    fi
    tmp=$(mktemp)
    # The rules go before the first rule of the file: pg_hba.conf is read top-down, first match wins.
    awk -v role="$ROLE" '
        !done && $0 !~ /^[[:space:]]*(#|$)/ {
            print "# sluice-it: the wrong-password tests need a role whose password is checked"
            print "host    all    " role "    127.0.0.1/32    scram-sha-256"
            print "host    all    " role "    ::1/128         scram-sha-256"
            done = 1
        }
        { print }
        END {
            if (!done) {
                print "host    all    " role "    127.0.0.1/32    scram-sha-256"
                print "host    all    " role "    ::1/128         scram-sha-256"
            }
        }' "$HBA" > "$tmp"
    cat "$tmp" > "$HBA" # keeps the file's owner and mode
    rm -f "$tmp"
    pg -c "select pg_reload_conf()" > /dev/null
    echo "setup-databases: added scram-sha-256 rules for role $ROLE to $HBA and reloaded PostgreSQL"
fi

# Check: the right password gets in, a wrong one does not.
PGPASSWORD=$PASSWORD psql -h "$PGHOST" -p "$PGPORT" -U "$ROLE" -d test -Atqc "select 1" > /dev/null
if PGPASSWORD="not-$PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$ROLE" -d test -Atqc "select 1" > /dev/null 2>&1; then
    echo "setup-databases: PostgreSQL still accepts role $ROLE with a wrong password; check $HBA" >&2
    exit 1
fi

# --- MariaDB: a user with a password --------------------------------------------------------
for host in 127.0.0.1 localhost %; do
    mysql -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u root -e "
        CREATE USER IF NOT EXISTS '$ROLE'@'$host' IDENTIFIED BY '$PASSWORD';
        ALTER USER '$ROLE'@'$host' IDENTIFIED BY '$PASSWORD';
        GRANT ALL PRIVILEGES ON test.* TO '$ROLE'@'$host';"
done

echo "setup-databases: PostgreSQL and MariaDB are ready for sluice-it"
