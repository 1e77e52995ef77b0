# Shell functions shared by scenarios/run.sh and scenarios/tenants.sh; sourced, not run.

# Builds what the sluice-it runners need and sets $java (honouring JAVA_HOME) and $cp (the
# sluice-it test classes and their test-scope class path). $1: the script's name, for the message.
build_sluice_it() {
  java=java
  if [ -n "${JAVA_HOME:-}" ]; then
    java="$JAVA_HOME/bin/java"
  fi
  echo "$1: building (sluice-core, sluice-testkit, sluice-it test classes)" >&2
  ./mvnw -B -q install -DskipTests -Dspotbugs.skip=true -pl sluice-core,sluice-testkit -am
  ./mvnw -B -q -f sluice-it test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile=target/scenarios.classpath -Dmdep.includeScope=test
  cp="sluice-it/target/test-classes:$(cat sluice-it/target/scenarios.classpath)"
}
