"""Writes N static pages under DIR/p/: page i links to 2i+1 and 2i+2 (a binary tree from
p/0.html, every page reachable), each about 2 KB like a small film page."""
import os
import sys

root, pages = sys.argv[1], int(sys.argv[2])
os.makedirs(os.path.join(root, "p"), exist_ok=True)
filler = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 30 + "</p>"
for i in range(pages):
    links = "".join(f'<li><a href="/p/{j}.html">Film {j}</a></li>' for j in (2 * i + 1, 2 * i + 2) if j < pages)
    with open(os.path.join(root, "p", f"{i}.html"), "w") as out:
        out.write(f"<!doctype html><html><head><title>Film {i}</title></head><body><h1>Film {i}</h1>"
                  f"{filler}<ul>{links}</ul></body></html>")
