#!/usr/bin/env python3
"""Writes the demo's IMDb title pages from fixtures/demo/imdb/films.tsv.

Each page is written for Marquee's demo in the markup of imdb.com's title pages (JSON-LD Movie
item, og: tags, the hero title) — not a copy of a real page. The facts (title, year, runtime,
directors, top-billed cast) are the films' published credits; no ratings or vote counts are
invented, so the pages carry none. Run again after editing films.tsv:

    python3 scripts/demo-pages.py
"""
import csv
import html
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "demo" / "imdb"
out = root / "title"
out.mkdir(exist_ok=True)
for old in out.iterdir():
    old.unlink()
with open(root / "films.tsv", newline="", encoding="utf-8") as table:
    for film in csv.DictReader(table, delimiter="\t"):
        url = f"https://www.imdb.com/title/{film['imdb_id']}/"
        minutes = int(film["runtime_minutes"])
        item = {
            "@context": "https://schema.org",
            "@type": "Movie",
            "url": url,
            "name": film["title"],
            "duration": f"PT{minutes // 60}H{minutes % 60}M" if minutes % 60 else f"PT{minutes // 60}H",
            "director": [{"@type": "Person", "name": name} for name in film["directors"].split("|")],
            "actor": [{"@type": "Person", "name": name} for name in film["cast"].split("|")],
        }
        title = html.escape(f"{film['title']} ({film['year']}) - IMDb")
        page = f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}"><meta property="og:type" content="video.movie">
<meta property="og:url" content="{url}">
<script type="application/ld+json">{json.dumps(item, ensure_ascii=False)}</script></head>
<body>
<!-- Written for Marquee's demo in the markup of imdb.com title pages; not a copy of a real page. -->
<h1 data-testid="hero__pageTitle"><span class="hero__primary-text">{html.escape(film['title'])}</span></h1>
</body></html>
"""
        (out / f"{film['imdb_id']}.html").write_text(page, encoding="utf-8")
        meta = {
            "url": url,
            "status": 200,
            "headers": {"Content-Type": "text/html; charset=utf-8"},
            "fetched_at": "2026-11-20T12:00:00Z",
        }
        (out / f"{film['imdb_id']}.meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
