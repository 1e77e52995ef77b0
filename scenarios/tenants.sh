#!/usr/bin/env bash
# Tenant routing at full length against the local PostgreSQL and MariaDB: the budget held under a
# 64-caller Zipf load over 200 tenants (sessions counted on the server every 10 ms), two hot tenants
# beside eighteen cold ones, and the schema switch's cost per borrow. Prints the markdown tables of
# docs/tenants.md ("Measured").
#
#   scenarios/tenants.sh [--seconds 60] [--out FILE]
#
# --seconds   measured seconds per row (default 60; each row also warms up 5 s). About 6 rows: the
#             default run takes about 7 minutes.
# Creates 200 schemas (PostgreSQL), 200 databases (MariaDB) and 20 databases (PostgreSQL), named
# sluice_tenant_<n>, and drops them at the end. Needs PostgreSQL at 127.0.0.1:5432 (user postgres,
# trust) and MariaDB at 127.0.0.1:3306 (root, empty password); sluice-it/setup-databases.sh starts them.
set -euo pipefail
cd "$(dirname "$0")/.."

. scenarios/lib.sh
build_sluice_it tenants
exec "$java" -Xmx2g -cp "$cp" dev.sluice.it.TenantLoadReport "$@"
