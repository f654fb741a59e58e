#!/usr/bin/env bash
# Load on the web app over the 1,000,000-quote store (bench/search_bench.py fills it), on each backend:
# wrk, 30 s, 50 connections (a request unanswered after 10 s counts as failed), against a search, the
# page of the most quoted speaker and that of the median one. Loopback only.
#
#     OPENBLAS_NUM_THREADS=1 bench/web_load.sh            # both backends
#     OPENBLAS_NUM_THREADS=1 bench/web_load.sh sqlite     # one
#     WORKERS=2 OPENBLAS_NUM_THREADS=1 bench/web_load.sh  # two server processes
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=30s
CONNECTIONS=50
THREADS=2
PORT=${PORT:-8765}
WORKERS=${WORKERS:-1}
BASE="http://127.0.0.1:$PORT"
SQLITE=bench/out/search_bench_1000000_25.db
POSTGRES=postgresql://postgres@127.0.0.1/skazal_bench_1000000_25
# "президент", a word in a tenth of the quotes
SEARCH="/api/search?q=%D0%BF%D1%80%D0%B5%D0%B7%D0%B8%D0%B4%D0%B5%D0%BD%D1%82&limit=20"

server=""
stop() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; server=""; }
trap stop EXIT

serve() {  # database, name
    .venv/bin/skazal db upgrade --db "$1"
    .venv/bin/skazal serve --db "$1" --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" >"bench/out/web_load_$2.log" 2>&1 &
    server=$!
    for _ in $(seq 60); do
        curl -sf -o /dev/null "$BASE/api/stats?limit=1" && return 0
        sleep 1
    done
    echo "the server over $1 did not answer" >&2
    return 1
}

speaker_at() {  # rank among the most quoted, from 0 → the speaker's id
    curl -sf "$BASE/api/speakers?limit=1&offset=$1" | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])'
}

load() {  # backend, page name, path
    local report
    report=$(timeout 90 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$BASE$3")
    printf '%-11s %-14s %10s %10s %10s %8s\n' "$1" "$2" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$report")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$report")" \
        "$(awk '$1 == "99%" {print $2}' <<<"$report")" \
        "$(awk '/Non-2xx/ {failed += $5} /Socket errors/ {failed += $10} END {print failed + 0}' <<<"$report")"
}

echo "$WORKERS worker process(es), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before"
printf '%-11s %-14s %10s %10s %10s %8s\n' backend page "req/s" p50 p99 failed
backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgresql)
for backend in "${backends[@]}"; do
    case $backend in
        sqlite) serve "$SQLITE" sqlite ;;
        postgresql) serve "$POSTGRES" postgresql ;;
        *) echo "unknown backend $backend: sqlite or postgresql" >&2; exit 2 ;;
    esac
    speakers=$(curl -sf "$BASE/api/stats" | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["speakers"])')
    most=$(speaker_at 0)
    median=$(speaker_at $((speakers / 2)))
    load "$backend" search "$SEARCH"
    load "$backend" "speaker $most" "/speakers/$most"
    load "$backend" "speaker $median" "/speakers/$median"
    stop
done
