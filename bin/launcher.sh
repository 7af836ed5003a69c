# Shared by bin/fulcrum and bin/fctl: find (or build) a module's class path and run a main class.
# shellcheck shell=bash

FULCRUM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FULCRUM_JAVA_FLAGS=(-Dsofa.middleware.log.disable=true -Dcom.google.protobuf.use_unsafe_pre22_gencode=true)

fulcrum_build() {
  echo "fulcrum: building (first run; a few minutes on 2 cores)..." >&2
  (cd "$FULCRUM_ROOT" && mvn -B -ntp -q -DskipTests install) >&2
}

# The class path of a module: its jar plus target/lib (both left by `mvn package`).
fulcrum_classpath() {
  local module=$1 jar
  jar=$(ls "$FULCRUM_ROOT/$module"/target/fulcrum-*-SNAPSHOT.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ] || [ ! -d "$FULCRUM_ROOT/$module/target/lib" ]; then
    fulcrum_build
    jar=$(ls "$FULCRUM_ROOT/$module"/target/fulcrum-*-SNAPSHOT.jar | head -n 1)
  fi
  echo "$jar:$FULCRUM_ROOT/$module/target/lib/*"
}

# fulcrum_java MODULE MAIN_CLASS [ARGS...]: exec the JVM.
fulcrum_java() {
  local module=$1 main=$2
  shift 2
  exec java "${FULCRUM_JAVA_FLAGS[@]}" ${FULCRUM_JAVA_OPTS:-} -cp "$(fulcrum_classpath "$module")" "$main" "$@"
}
