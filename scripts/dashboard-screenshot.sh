#!/usr/bin/env bash
# Takes docs/dashboard-trace.png: the Aspire dashboard showing one order's trace (orders -> catalog reserve -> payments
# -> publish -> notifications), with Debian's headless chromium driven by playwright-core (npm; no browser download).
#   bash scripts/dashboard-screenshot.sh [out.png]
# Starts the system as README says (`run -f . --embedded`, which starts the dashboard), places one order with a
# traceparent of its own (so the trace id is known), waits until the order is Completed and notified, screenshots the
# trace's page, then stops the run. Needs dapr.yaml's ports free (stop a running system first), node and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/dashboard-trace.png}
mkdir -p "$(dirname "$out")"
command -v node >/dev/null || { echo "dashboard-screenshot: node (20+) is required" >&2; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "dashboard-screenshot: chromium is required (apt-get install chromium)" >&2; exit 1; }
(cd scripts/dashboard-screenshot && npm ci --no-audit --no-fund --silent)

log=$(mktemp)
dotnet run --project sidecar -- run -f . --embedded >"$log" 2>&1 &
runner=$!
cleanup() {
  kill -TERM "$runner" 2>/dev/null || true
  wait "$runner" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

login=""
for _ in $(seq 1 300); do
  login=$(grep -o 'http://127.0.0.1:[0-9]*/login?t=[0-9a-f]*' "$log" | head -1 || true)
  [ -n "$login" ] && break
  kill -0 "$runner" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 1
done
[ -n "$login" ] || { echo "dashboard-screenshot: the run printed no dashboard URL" >&2; exit 1; }

# The apps answer once built, started and healthy (readiness through their sidecars).
for _ in $(seq 1 300); do
  curl -sf -o /dev/null -X PUT localhost:3501/v1.0/invoke/catalog/method/items/kb-1 \
    -H 'content-type: application/json' -d '{"name":"Keyboard","price":40,"stock":100}' && break
  sleep 1
done

order="o-$(date +%s)"
for _ in $(seq 1 120); do
  # A new trace per attempt: the picture shows only the attempt that was accepted.
  trace=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  parent=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST localhost:3502/v1.0/invoke/orders/method/orders \
    -H 'content-type: application/json' -H "traceparent: 00-$trace-$parent-01" \
    -d "{\"orderId\":\"$order\",\"customerId\":\"c-42\",\"lines\":[{\"itemId\":\"kb-1\",\"quantity\":2}]}")
  [ "$status" = 202 ] && break
  sleep 1
done
for _ in $(seq 1 60); do
  curl -s "localhost:3504/v1.0/invoke/notifications/method/notifications?orderId=$order" | grep -q order.completed && break
  sleep 1
done

node scripts/dashboard-screenshot/screenshot.mjs "$login" "$trace" "$out"
