#!/usr/bin/env bash
# The test command: finds JDK 25 the same way the launcher does and runs the whole suite with the Maven wrapper.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25*; do
  if [ -n "$d" ] && [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | head -n1 | grep -q '"25'; then export JAVA_HOME="$d"; break; fi
done
exec ./mvnw -B -ntp verify "$@"
