#!/usr/bin/env python3
"""Prints a Markdown table of the runs logged in fuzz/logs/<target>.log: run time, execs,
coverage at the end, and what the run found (crash, timeout, out of memory)."""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def summary(path):
    text = open(path, errors="replace").read()
    stats = dict(re.findall(r"^stat::(\w+):\s+(\d+)", text, re.M))
    # Plain runs print `#N NEW cov: …`; fork mode (-fork=1) prints `#N: cov: …`.
    progress = re.findall(r"^#(\d+):?\s+(?:\w+\s+)?cov: (\d+) ft: (\d+)", text, re.M)
    execs, cov, ft = progress[-1] if progress else ("?", "?", "?")
    found = []
    for kind, pattern in [("crash", r"deadly signal|panicked at"), ("timeout", r"ERROR: libFuzzer: timeout"),
                          ("oom", r"out-of-memory")]:
        if re.search(pattern, text):
            found.append(kind)
    artifact = re.search(r"Test unit written to (\S+)", text)
    done = re.search(r"^(?:Done \d+ runs in|INFO: fuzzed for) (\d+) second", text, re.M)
    seconds = done.group(1) if done else "stopped"
    if "peak_rss_mb" in stats:
        ft = f"{ft} | {stats['peak_rss_mb']}"
    else:
        ft = f"{ft} | ?"
    return (stats.get("number_of_executed_units", execs), seconds, cov, ft,
            ", ".join(found) or "none", artifact.group(1) if artifact else "")


def main():
    logs = sorted(sys.argv[1:] or [os.path.join(HERE, "logs", f) for f in os.listdir(os.path.join(HERE, "logs"))
                                   if f.endswith(".log") and f != "build.log"])
    print("| target | seconds | execs | cov | ft | peak RSS MB | found |")
    print("|---|---|---|---|---|---|---|")
    for log in logs:
        execs, seconds, cov, ft, found, artifact = summary(log)
        name = os.path.basename(log)[:-4]
        print(f"| {name} | {seconds or '?'} | {execs} | {cov} | {ft} | {found} {os.path.basename(artifact)} |")


if __name__ == "__main__":
    main()
