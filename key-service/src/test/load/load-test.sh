#!/usr/bin/env bash
# Load run of key-service's crypto endpoints with `hey` (apt-get install hey): starts the packaged
# service on a scratch database with a fresh root key and test tokens, creates a key, and prints
# hey's summary for encrypt, decrypt and datakey. Needs: a built key-service and test-support
# (./mvnw -B -DskipTests install -pl test-support,key-service -am), MariaDB at 127.0.0.1:3306 (root).
# Usage: key-service/src/test/load/load-test.sh [requests=20000] [concurrency=32]
set -euo pipefail
cd "$(dirname "$0")/../../../.."
REQUESTS=${1:-20000}
CONCURRENCY=${2:-32}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
WORK=$(mktemp -d)
PID= TOKENS_PID=
DB=srk_load_$$
PORT=${PORT:-18185}
trap 'kill $PID $TOKENS_PID 2>/dev/null || true; mariadb -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $DB" || true; rm -rf "$WORK"' EXIT

JAR=key-service/target/quarkus-app/quarkus-run.jar
./mvnw -B -q -o dependency:build-classpath -pl test-support -Dmdep.outputFile="$WORK/cp" >/dev/null
"$JAVA" -cp "test-support/target/test-support-0.1.0-SNAPSHOT.jar:$(cat "$WORK/cp")" key-service/src/test/load/LoadTokens.java "$WORK" 2>/dev/null &
TOKENS_PID=$!
for _ in $(seq 1 60); do [ -s "$WORK/jwks-url" ] && break; sleep 1; done
"$JAVA" -jar $JAR generate-root-key "$WORK/root.json" >/dev/null 2>&1

STRONGROOM_DB_NAME=$DB STRONGROOM_KEYS_ROOT="$WORK/root.json" STRONGROOM_AUTH_JWKS_URL="$(cat "$WORK/jwks-url")" \
  STRONGROOM_AUTH_ISSUER=strongroom-test QUARKUS_HTTP_PORT=$PORT STRONGROOM_KAFKA_BOOTSTRAP=127.0.0.1:1 \
  QUARKUS_LOG_LEVEL=WARN "$JAVA" -jar $JAR >"$WORK/service.log" 2>&1 &
PID=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/q/health/live" >/dev/null && break; sleep 1; done

URL=http://127.0.0.1:$PORT/v1/keys
ADMIN="Authorization: Bearer $(cat "$WORK/admin.jwt")"
KMS="Authorization: Bearer $(cat "$WORK/kms.jwt")"
curl -sf -XPOST "$URL" -H "$ADMIN" -H 'Content-Type: application/json' -d '{"name":"load"}' >/dev/null
PLAINTEXT=$(head -c 32 /dev/urandom | base64)
CONTEXT=$(printf 'secret/0192f7c4/version/1' | base64)
CIPHERTEXT=$(curl -sf -XPOST "$URL/load/encrypt" -H "$KMS" -H 'Content-Type: application/json' \
  -d "{\"plaintext\":\"$PLAINTEXT\",\"context\":\"$CONTEXT\"}" | sed 's/.*"ciphertext":"\([^"]*\)".*/\1/')

run() {
  echo "== $1: $REQUESTS requests, $CONCURRENCY concurrent"
  hey -n 2000 -c "$CONCURRENCY" -m POST -H "$KMS" -T application/json -d "$2" "$URL/load/$1" >/dev/null   # warm-up
  hey -n "$REQUESTS" -c "$CONCURRENCY" -m POST -H "$KMS" -T application/json -d "$2" "$URL/load/$1" \
    | grep -E 'Requests/sec|Average|Fastest|Slowest|50% in|95% in|99% in|^ +\[[0-9]{3}\]'
}
run encrypt "{\"plaintext\":\"$PLAINTEXT\",\"context\":\"$CONTEXT\"}"
run decrypt "{\"ciphertext\":\"$CIPHERTEXT\",\"context\":\"$CONTEXT\"}"
run datakey "{\"context\":\"$CONTEXT\"}"
