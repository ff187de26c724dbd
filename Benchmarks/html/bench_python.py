"""Throughput of "parse + 10 typical selectors" with parsel, or with lxml alone.

    python bench_python.py PAGES_DIR SELECTORS_FILE --tool parsel|lxml [--seconds S] [--workers W]

Prints one JSON line in the same shape as html-bench. The selectors are the same CSS that
Marquee runs. "lxml" runs them as XPath compiled once up front (cssselect's translation, as
parsel would produce), so it measures lxml's parse + XPath with no Selector layer. With W > 1
workers the pages are split between W processes (the GIL rules out threads), each loading its
share once and timing itself after a warm-up pass; their throughputs add.
"""
import argparse
import json
import multiprocessing
import pathlib
import time

import lxml.etree
import lxml.html
import parsel
from parsel.csstranslator import HTMLTranslator


def load(directory, selectors_file):
    selectors = [s for s in pathlib.Path(selectors_file).read_text().splitlines() if s and not s.startswith("#")]
    pages = [path.read_bytes() for path in sorted(pathlib.Path(directory).rglob("*.html"))]
    return pages, selectors


def make_pass(tool, pages, selectors):
    if tool == "parsel":
        def run():
            matches = 0
            for body in pages:
                selector = parsel.Selector(body=body, encoding="utf-8")
                for css in selectors:
                    matches += len(selector.css(css).getall())
            return matches
        return run
    translator = HTMLTranslator()
    compiled = [lxml.etree.XPath(translator.css_to_xpath(css)) for css in selectors]

    def run():
        matches = 0
        for body in pages:
            if not body.strip():
                continue
            root = lxml.html.document_fromstring(body)
            for xpath in compiled:
                matches += len(xpath(root))
        return matches
    return run


def worker(args):
    """Runs passes over this worker's share of the pages until the deadline; returns pages done."""
    tool, directory, selectors_file, index, workers, seconds = args
    pages, selectors = load(directory, selectors_file)
    run = make_pass(tool, pages[index::workers], selectors)
    matches = run()  # warm-up
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        run()
        done += len(pages[index::workers])
    return done, time.perf_counter() - started, matches


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("selectors")
    parser.add_argument("--tool", choices=["parsel", "lxml"], required=True)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--label", help="name to report (default: the tool, plus '-sys' when lxml is not the wheel's)")
    args = parser.parse_args()
    jobs = [(args.tool, args.directory, args.selectors, i, args.workers, args.seconds) for i in range(args.workers)]
    if args.workers == 1:
        results = [worker(jobs[0])]
    else:
        with multiprocessing.Pool(args.workers) as pool:
            results = pool.map(worker, jobs)
    # Each worker times itself after loading and warming up; throughputs add.
    label = args.label or args.tool + ("" if lxml.etree.LIBXML_VERSION >= (2, 10) else "-sys")
    print(json.dumps({"tool": label, "libxml2": ".".join(map(str, lxml.etree.LIBXML_VERSION)), "workers": args.workers, "pages": sum(r[0] for r in results),
                      "seconds": max(r[1] for r in results),
                      "pages_per_second": sum(done / elapsed for done, elapsed, _ in results),
                      "matches": sum(r[2] for r in results)}))


if __name__ == "__main__":
    main()
