"""Prints the best round of each (tool, workers) from JSON lines, with ratios against Marquee."""
import json
import platform
import sys

best = {}
for line in open(sys.argv[1]):
    row = json.loads(line)
    key = (row["tool"], row["workers"])
    if key not in best or row["pages_per_second"] > best[key]["pages_per_second"]:
        best[key] = row

print(f"{'tool':<12}{'libxml2':>9}{'workers':>8}{'pages/s':>10}{'matches':>10}{'Marquee ÷ tool':>17}")
for (tool, workers), row in sorted(best.items(), key=lambda item: (item[0][1], item[0][0] != "marquee", item[0][0])):
    marquee = best.get(("marquee", workers), {}).get("pages_per_second")
    ratio = f"{marquee / row['pages_per_second']:.2f}×" if marquee else "-"
    print(f"{tool:<12}{row.get('libxml2', 'system'):>9}{workers:>8}{row['pages_per_second']:>10.1f}{row['matches']:>10}{ratio:>17}")
matches = {row["matches"] for row in best.values()}
print("same matches from every tool" if len(matches) == 1 else f"MATCH COUNTS DIFFER: {sorted(matches)}")
try:
    import lxml.etree
    import parsel
    print(f"parsel {parsel.__version__}, lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))} "
          f"(libxml2 {'.'.join(map(str, lxml.etree.LIBXML_VERSION))}), Python {platform.python_version()}")
except ImportError:
    pass
