#!/usr/bin/env bash
# Service invocation overhead: GET /items/{id} straight to catalog versus through the local sidecar's
# /v1.0/invoke/catalog/method/items/{id}, at a fixed 1000 req/s and at saturation, in one run.
#   bash bench/invocation.sh [--rate 1000] [--seconds 10] [--connections 32]
# Ports differ from dapr.yaml's so the benchmark can run beside the system.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_PORT=5201 HTTP_PORT=3601 GRPC_PORT=50201
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release -v q -nologo sidecar >/dev/null
dotnet build -c Release -v q -nologo services/catalog >/dev/null
dotnet build -c Release -v q -nologo bench/LoadGen >/dev/null

# One sidecar, as daprd would run beside one app, with the repo's components served by the embedded SQLite store.
dotnet sidecar/bin/Release/net10.0/dapr-local.dll --app-id catalog --app-port $APP_PORT \
  --dapr-http-port $HTTP_PORT --dapr-grpc-port $GRPC_PORT --resources-path components --embedded \
  --data-dir "$work" --log-level warn > "$work/sidecar.log" 2>&1 &
sidecar_pid=$!
pids+=("$sidecar_pid")

APP_PORT=$APP_PORT DAPR_HTTP_PORT=$HTTP_PORT DAPR_GRPC_PORT=$GRPC_PORT Logging__LogLevel__Default=Warning \
  dotnet services/catalog/bin/Release/net10.0/Catalog.dll > "$work/catalog.log" 2>&1 &
pids+=("$!")

for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/v1.0/invoke/catalog/method/healthz" && break
  sleep 0.5
done

curl -sf -o /dev/null -X PUT "http://127.0.0.1:$HTTP_PORT/v1.0/invoke/catalog/method/items/bench-item" \
  -H 'content-type: application/json' -d '{"name":"Benchmark item","price":9.5,"stock":100}'

dotnet bench/LoadGen/bin/Release/net10.0/LoadGen.dll \
  --direct "http://127.0.0.1:$APP_PORT/items/bench-item" \
  --sidecar "http://127.0.0.1:$HTTP_PORT/v1.0/invoke/catalog/method/items/bench-item" \
  --sidecar-pid "$sidecar_pid" "$@"
