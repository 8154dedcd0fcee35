#!/usr/bin/env bash
# Runs fuzz targets one after another, each for its time, with its dictionary, logging to
# fuzz/logs/<target>.log. Usage: fuzz/run.sh TARGET[:SECONDS] ...  (default 600 s).
# FUZZ_ARGS adds libFuzzer flags (`-fork=1 -ignore_crashes=1` goes on past a known crash).
# Runs the binaries `cargo +nightly fuzz build -s none` made (build first), so that a
# change to the product during a queue does not rebuild in the middle of it.
set -u
cd "$(dirname "$0")"
bin=target/x86_64-unknown-linux-gnu/release
dict_of() {
  case "$1" in
    html_page|release_text|text) echo dicts/html.dict ;;
    feed|sitemap) echo dicts/xml.dict ;;
    query) echo dicts/query.dict ;;
    warc) echo dicts/warc.dict ;;
    robots) echo dicts/robots.dict ;;
    *) echo dicts/json.dict ;;
  esac
}
mkdir -p logs
for spec in "$@"; do
  target=${spec%%:*}
  seconds=600
  [[ $spec == *:* ]] && seconds=${spec##*:}
  mkdir -p "corpus/$target" "artifacts/$target"
  echo "start $target ${seconds}s $(date -u +%H:%M:%S)" >> logs/runs.txt
  "$bin/$target" -artifact_prefix="artifacts/$target/" -dict="$(dict_of "$target")" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=1048576 \
    -print_final_stats=1 ${FUZZ_ARGS:-} "corpus/$target" > "logs/$target.log" 2>&1
  echo "end $target rc=$? $(date -u +%H:%M:%S)" >> logs/runs.txt
done
