#!/usr/bin/env bash
# A walk through secrets-service on a running stack (./strongroom up): one user stores, versions,
# rotates, rolls back, shares access with a second user, revokes it, soft-deletes and restores a
# secret; a service account reads it by name; every step is then read back from audit-service.
#   ADMIN_PASSWORD=<from ./strongroom up> secrets-service/src/test/stack/walkthrough.sh
# Needs curl and jq. AUTH, SECRETS, AUDIT override the service URLs.
set -euo pipefail
AUTH=${AUTH:-http://127.0.0.1:8081}; SECRETS=${SECRETS:-http://127.0.0.1:8082}; AUDIT=${AUDIT:-http://127.0.0.1:8084}
ADMIN_USER=${ADMIN_USER:-admin}; ADMIN_PASSWORD=${ADMIN_PASSWORD:?}
j() { curl -sS -H 'Content-Type: application/json' "$@"; }
suffix=$RANDOM$RANDOM
login() { j -X POST "$AUTH/v1/auth/login" -d "{\"username\":\"$1\",\"password\":\"$2\"}" | jq -r .accessToken; }
for u in alice bob; do
  j -X POST "$AUTH/v1/auth/register" -d "{\"username\":\"$u$suffix\",\"password\":\"correct horse battery $suffix\"}" >/dev/null
done
ALICE=$(login alice$suffix "correct horse battery $suffix"); BOB=$(login bob$suffix "correct horse battery $suffix")
ADMIN=$(login "$ADMIN_USER" "$ADMIN_PASSWORD")
A=(-H "Authorization: Bearer $ALICE"); B=(-H "Authorization: Bearer $BOB")
step() { printf '%-44s %s\n' "$1" "$2"; }
ID=$(j "${A[@]}" -X POST "$SECRETS/v1/secrets" -d "{\"name\":\"payments/db-$suffix\",\"environment\":\"production\",\"value\":\"v1-$suffix\",\"type\":\"password\",\"rotation\":{\"intervalDays\":30,\"generator\":{\"type\":\"password\",\"length\":24}}}" | jq -r .id)
step "alice creates payments/db-$suffix" "$ID"
step "alice writes version 2 (cas 1)" "$(j "${A[@]}" -X PUT "$SECRETS/v1/secrets/$ID/value" -d "{\"value\":\"v2-$suffix\",\"cas\":1}" | jq -c '{version,origin}')"
step "alice rotates (generated)" "$(j "${A[@]}" -X POST "$SECRETS/v1/secrets/$ID/rotate" -d '{}' | jq -c '{version,origin}')"
step "alice rolls back to version 1" "$(j "${A[@]}" -X POST "$SECRETS/v1/secrets/$ID/rollback" -d '{"version":1}' | jq -c '{version,origin,rolledBackFrom}')"
step "alice reveals" "$(j "${A[@]}" "$SECRETS/v1/secrets/$ID/value" | jq -c '{version, value: (.value == "v1-'$suffix'")}')"
step "bob reveals before any grant" "$(j "${B[@]}" -o /dev/null -w '%{http_code}' "$SECRETS/v1/secrets/$ID/value")"
step "alice grants bob READ" "$(j "${A[@]}" -X PUT "$SECRETS/v1/secrets/$ID/access" -d "{\"grants\":[{\"principal\":\"user:bob$suffix\",\"permissions\":[\"READ\"]}]}" | jq -c .grants)"
step "bob reveals" "$(j "${B[@]}" "$SECRETS/v1/secrets/$ID/value" | jq -c '{version}')"
step "alice revokes" "$(j "${A[@]}" -X PUT "$SECRETS/v1/secrets/$ID/access" -d '{"grants":[]}' | jq -c .grants)"
step "bob reveals after revocation" "$(j "${B[@]}" -o /dev/null -w '%{http_code}' "$SECRETS/v1/secrets/$ID/value")"
step "alice soft-deletes" "$(j "${A[@]}" -X DELETE -o /dev/null -w '%{http_code}' "$SECRETS/v1/secrets/$ID")"
step "alice reveals the deleted secret" "$(j "${A[@]}" -o /dev/null -w '%{http_code}' "$SECRETS/v1/secrets/$ID/value")"
step "alice restores" "$(j "${A[@]}" -X POST "$SECRETS/v1/secrets/$ID/restore" | jq -c '{id: (.id == "'$ID'"), currentVersion}')"
# A service account reads by environment and name (the workload path: grant, then lookup by name).
SVC=$(j -H "Authorization: Bearer $ADMIN" -X POST "$AUTH/v1/admin/service-accounts" -d "{\"name\":\"ci-$suffix\",\"roles\":[\"user\"]}")
SVC_TOKEN=$(curl -sS -X POST "$AUTH/v1/auth/token" -d "grant_type=client_credentials&client_id=$(echo "$SVC" | jq -r .clientId)&client_secret=$(echo "$SVC" | jq -r .clientSecret)" | jq -r .access_token)
j "${A[@]}" -X PUT "$SECRETS/v1/secrets/$ID/access" -d "{\"grants\":[{\"principal\":\"service:ci-$suffix\",\"permissions\":[\"READ\"]}]}" >/dev/null
step "service ci reads it by name" "$(j -H "Authorization: Bearer $SVC_TOKEN" "$SECRETS/v1/environments/production/secrets/payments/db-$suffix/value" | jq -c '{version, name}')"
sleep 3
echo "audit log for secret/$ID (audit-service, newest first):"
j -H "Authorization: Bearer $ADMIN" "$AUDIT/v1/audit/events?resourceId=$ID&limit=100" \
  | jq -r '.items[] | "  \(.sequence // "-")  \(.data.action)  \(.data.outcome)  \(.data.actor.type):\(.data.actor.name)  v\(.data.resource.version // "-")"'
