#!/usr/bin/env python3
"""The editor side of bench/mixed.sh: writes through the JSON API once a
second while wrk reads, then checks that every acknowledged write is in the
database and in the search index.

    mixed_writer.py write BASE_URL TOKEN SECONDS LEDGER
        Once a second: creates an article; every third second also edits an
        earlier one (with its current version). Every write the server
        acknowledged (2xx) is appended to LEDGER as JSON; failures are counted.
        Prints one line: WRITER_RESULT creates=… edits=… errors=…

    mixed_writer.py verify BASE_URL TOKEN LEDGER DATABASE
        Checks every acknowledged write against the API (latest title and
        body of each article), the search (each article, as last saved, is
        the best hit for its unique word), and
        the SQLite file itself (no article of the run beyond those
        acknowledged). Prints VERIFY_RESULT checked=… lost=… wrong=… unindexed=…
        and exits 1 on any loss.

Only the standard library: the benchmark needs no extra packages.
"""

import json
import sqlite3
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PREFIX = "Belastningsprøve"


def call(base, token, method, path, body=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def word(n):
    # A made-up word per article, so a search finds exactly that one.
    return "bltx" + "".join("abcdefghij"[int(d)] for d in str(n)) + "q"


def write(base, token, seconds, ledger_path):
    creates = edits = errors = 0
    deadline = time.monotonic() + seconds
    created = []
    with open(ledger_path, "w", encoding="utf-8") as ledger:
        n = 0
        while time.monotonic() < deadline:
            tick = time.monotonic()
            n += 1
            article = {
                "title": f"{PREFIX} {n}",
                "lead": f"Skrevet under belastning, nummer {n}.",
                "body": f"Brødtekst med ordet {word(n)}.\n\n- punkt et\n- punkt to",
                "status": "published",
            }
            try:
                status, answer = call(base, token, "POST", "/api/v1/news", article)
            except OSError as error:
                status, answer = 0, str(error)
            if status == 201:
                creates += 1
                created.append(answer["id"])
                ledger.write(json.dumps({"id": answer["id"], "n": n, "title": article["title"],
                                         "body": article["body"], "version": answer["version"]}) + "\n")
            else:
                errors += 1
                print(f"create {n}: {status} {answer}", file=sys.stderr)
            if n % 3 == 0 and len(created) > 1:
                target = created[(n // 3) % (len(created) - 1)]
                try:
                    status, current = call(base, token, "GET", f"/api/v1/news/{target}")
                    if status != 200:
                        raise OSError(f"GET {target}: {status} {current}")
                    change = {
                        "title": current["title"].split(" (rettet")[0] + f" (rettet {n})",
                        "body": current["body"],
                        "lead": current.get("lead"),
                        "status": "published",
                        "slug": current["slug"],
                        "news_date": current["news_date"],
                        "version": current["version"],
                    }
                    status, answer = call(base, token, "PUT", f"/api/v1/news/{target}", change)
                except OSError as error:
                    status, answer = 0, str(error)
                if status == 200:
                    edits += 1
                    ledger.write(json.dumps({"id": target, "title": change["title"],
                                             "body": change["body"], "version": answer["version"]}) + "\n")
                else:
                    errors += 1
                    print(f"edit {target}: {status} {answer}", file=sys.stderr)
            ledger.flush()
            time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    print(f"WRITER_RESULT creates={creates} edits={edits} errors={errors}")


def verify(base, token, ledger_path, database):
    latest = {}
    with open(ledger_path, encoding="utf-8") as ledger:
        for line in ledger:
            entry = json.loads(line)
            known = latest.get(entry["id"])
            if known is None or entry["version"] > known["version"]:
                latest[entry["id"]] = {**(known or {}), **entry}
    lost = wrong = unindexed = 0
    for article_id, expected in latest.items():
        status, stored = call(base, token, "GET", f"/api/v1/news/{article_id}")
        if status != 200:
            lost += 1
            print(f"article {article_id}: {status}", file=sys.stderr)
            continue
        if (stored["title"], stored["body"], stored["version"]) != (
                expected["title"], expected["body"], expected["version"]):
            wrong += 1
            print(f"article {article_id}: stored {stored['title']!r} v{stored['version']}, "
                  f"acknowledged {expected['title']!r} v{expected['version']}", file=sys.stderr)
        if "n" in expected:
            query = urllib.parse.quote(word(expected["n"]))
            status, found = call(base, token, "GET", f"/api/v1/search?q={query}")
            # The search forgives typos, so near words match too: the
            # article itself, as last saved, must be the best hit.
            best = found["items"][0]["title"] if status == 200 and found["items"] else None
            if best != expected["title"]:
                unindexed += 1
                print(f"article {article_id}: search for {word(expected['n'])} found {best!r} first, "
                      f"not {expected['title']!r}", file=sys.stderr)
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        (in_database,) = db.execute(
            "SELECT count(*) FROM news WHERE title LIKE ? AND deleted_at IS NULL",
            (PREFIX + " %",)).fetchone()
        (integrity,) = db.execute("PRAGMA integrity_check").fetchone()
    extra = in_database - len(latest)
    print(f"VERIFY_RESULT checked={len(latest)} lost={lost} wrong={wrong} "
          f"unindexed={unindexed} in_database={in_database} unacknowledged={extra} "
          f"integrity={integrity}")
    return 1 if lost or wrong or unindexed or extra or integrity != "ok" else 0


def main(args):
    if len(args) == 5 and args[0] == "write":
        write(args[1], args[2], float(args[3]), args[4])
        return 0
    if len(args) == 5 and args[0] == "verify":
        return verify(args[1], args[2], args[3], args[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
