#!/bin/sh
# Builds what the example needs and starts it on http://localhost:8080 against the PostgreSQL in
# application.properties (127.0.0.1:5432, database test, user postgres). Ctrl-C stops it.
# Extra arguments go to the application, e.g. ./run.sh --server.port=9090
set -e
cd "$(dirname "$0")/../.."
./mvnw -B -q install -DskipTests -Dspotbugs.skip=true -pl examples/spring-boot -am
if [ "$#" -gt 0 ]; then
    exec ./mvnw -B -q -pl examples/spring-boot spring-boot:run -Dspring-boot.run.arguments="$*"
fi
exec ./mvnw -B -q -pl examples/spring-boot spring-boot:run
