"""Merge the authors' part files into the tables (used while the tables are being written).

data/sources_parts/*.csv -> data/sources.csv (rows with the same id and url are kept once)
data/quiz_parts/*.csv    -> data/quizzes.csv  (sorted by quiz, question_no)
"""
import csv
import glob
import os
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write(path, header, rows):
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)


def merge_sources():
    header = ["source_id", "publisher", "title", "author", "published_date", "url", "kind",
              "accessed_date", "note"]
    by_id, clashes = {}, []
    parts = sorted(glob.glob(str(DATA / "sources_parts" / "*.csv")))
    if not parts:
        return
    for p in parts:
        for row in read(p):
            sid = row["source_id"]
            if sid in by_id and by_id[sid]["url"] != row["url"]:
                clashes.append(f"{sid}: {by_id[sid]['url']} vs {row['url']} ({Path(p).name})")
            by_id.setdefault(sid, {k: row.get(k, "") for k in header})
    if clashes:
        sys.exit("source id clashes:\n" + "\n".join(clashes))
    write(DATA / "sources.csv", header, sorted(by_id.values(), key=lambda r: r["source_id"]))
    print(f"sources.csv: {len(by_id)} sources from {len(parts)} parts")


def merge_quizzes():
    parts = sorted(glob.glob(str(DATA / "quiz_parts" / "*.csv")))
    if not parts:
        return
    rows = [r for p in parts for r in read(p)]
    header = ["quiz", "question_no", "question", "options", "answer", "explanation", "source_id"]
    rows.sort(key=lambda r: (r["quiz"], int(r["question_no"])))
    write(DATA / "quizzes.csv", header, rows)
    print(f"quizzes.csv: {len(rows)} questions from {len(parts)} parts")


if __name__ == "__main__":
    merge_sources()
    merge_quizzes()
