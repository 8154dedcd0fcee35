"""SQLite FTS5 over the benchmark's items: the search baseline.

Usage: python3 fts5.py DUMP.ndjson DB QUERIES.json ROUNDS

Builds an FTS5 table from the NDJSON dump (one item a line, as archive stores it), with the
dates taken in an ordinary table indexed on them, then runs the mix ROUNDS times: each round
asks every form of query once, in its next variant, for the 20 best rows by bm25, as archive
asks for its 20 best hits. The database is memory-mapped and has a page cache of its own, as
a tuned SQLite would. Prints one JSON object: the build time and every form's timings in ms.
Exits 3 when this Python's sqlite3 has no FTS5.
"""

import json
import os
import sqlite3
import sys
import time

COLUMNS = ["title", "description", "tags", "campaigns", "creator", "license", "collection"]

# Map the whole database (1 GiB covers the 1M-item table) and cache 256 MiB of pages.
PRAGMAS = ["PRAGMA mmap_size = 1073741824", "PRAGMA cache_size = -262144"]


def build(dump, db):
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    for pragma in PRAGMAS:
        con.execute(pragma)
    con.execute("CREATE TABLE dates (id INTEGER PRIMARY KEY, taken TEXT)")
    try:
        con.execute(
            "CREATE VIRTUAL TABLE items USING fts5("
            + ", ".join(COLUMNS)
            + ", id UNINDEXED, item UNINDEXED,"
            " tokenize = 'unicode61 remove_diacritics 2')"
        )
    except sqlite3.OperationalError as error:
        print(json.dumps({"error": str(error)}))
        sys.exit(3)
    started = time.perf_counter()
    insert = "INSERT INTO items (rowid, " + ", ".join(COLUMNS) + ", id, item) VALUES ("
    insert += ", ".join("?" * (len(COLUMNS) + 3)) + ")"
    with open(dump, encoding="utf-8") as lines:
        for rowid, line in enumerate(lines, start=1):
            values, taken = row(line)
            con.execute(insert, [rowid] + values)
            con.execute("INSERT INTO dates VALUES (?, ?)", (rowid, taken))
    con.execute("CREATE INDEX dates_taken ON dates (taken)")
    con.commit()
    return con, time.perf_counter() - started


def row(line):
    item = json.loads(line)
    values = []
    for column in COLUMNS:
        value = item.get(column)
        values.append(" ".join(value) if isinstance(value, list) else value)
    return values + [item["id"], line], item.get("taken_at")


def search(con, query):
    sql = "SELECT id, title, item FROM items WHERE items MATCH ?"
    args = [query["match"]]
    if query.get("since"):
        # The dates' index picks the rows once; the `+` keeps SQLite from handing each of
        # them to FTS5 as its own full-text query.
        sql += " AND +rowid IN (SELECT id FROM dates WHERE taken >= ? AND taken < ?)"
        args += [query["since"], query["until"]]
    sql += " ORDER BY rank LIMIT 20"
    return con.execute(sql, args).fetchall()


def main():
    dump, db, queries, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with open(queries, encoding="utf-8") as f:
        queries = json.load(f)
    con, build_s = build(dump, db)
    for form in queries:
        for variant in form["variants"]:
            search(con, variant)  # warm-up
    samples = {form["name"]: [] for form in queries}
    for round_ in range(rounds):
        for form in queries:
            variant = form["variants"][round_ % len(form["variants"])]
            started = time.perf_counter()
            search(con, variant)
            samples[form["name"]].append((time.perf_counter() - started) * 1000.0)
    print(json.dumps({"build_s": build_s, "samples_ms": samples}))


if __name__ == "__main__":
    main()
