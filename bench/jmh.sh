#!/usr/bin/env bash
# Runs the JMH benchmarks of the hot pure-logic paths (src/jmh/java).
#   bench/jmh.sh                          # all benchmarks
#   bench/jmh.sh OrderValidationBenchmark # one class; any JMH option may follow (-f 1 -wi 3 ...)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main "$@"
