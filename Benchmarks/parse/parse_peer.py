"""The peer of `marquee parse`: the same scraper specs (scrapers/*.toml) run by parsel/lxml.

For every real page: parse with parsel, find the page kind (URL from the canonical link or
og:url, else detect rules), run each field's rules in order (css, xpath, JSON-LD and
__NEXT_DATA__ paths, meta, url groups, re/split/map/template), keep the first value, and write
one JSON line per record. Normalisation is reduced to whitespace clean-up and int/float
conversion, so the peer does less work than Marquee per field; the ratio favours the peer.
  python parse_peer.py SCRAPERS_DIR REALPAGES_DIR SECONDS
"""
import json, os, re, sys, time, tomllib
from parsel import Selector

PLACEHOLDERS = {"NA", "N/A", "TODO_MISSING", "null", "undefined"}
SOURCES = ["css", "xpath", "jsonld", "next_data", "meta", "url", "value"]

def load(folder):
    sites = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".toml"):
            with open(os.path.join(folder, name), "rb") as f:
                spec = tomllib.load(f)
            for page in spec["page"]:
                urls = page["url"] if isinstance(page["url"], list) else [page["url"]]
                page["_urls"] = [re.compile(u.replace("(?<", "(?P<")) for u in urls]
                for field in page.get("fields", {}).values():
                    for rule in field["rules"]:
                        if "re" in rule:
                            rule["_re"] = re.compile(rule["re"].replace("(?<", "(?P<"))
            sites.append(spec)
    return sites

def walk(value, path):
    current = [value]
    for segment in path.split("."):
        nxt = []
        for v in current:
            if isinstance(v, list):
                if segment.isdigit():
                    if int(segment) < len(v): nxt.append(v[int(segment)])
                else:
                    nxt += [x[segment] for x in v if isinstance(x, dict) and segment in x]
            elif isinstance(v, dict) and segment in v:
                nxt.append(v[segment])
        current = nxt
    out = []
    for v in current:
        if isinstance(v, list): out += [x for x in v if not isinstance(x, (dict, list)) and x is not None]
        elif not isinstance(v, dict) and v is not None: out.append(v)
    return out

class Page:
    def __init__(self, sel, url, groups):
        self.sel, self.url, self.groups = sel, url, groups
        self._ld = self._next = None
    def ld(self, types):
        if self._ld is None:
            self._ld = []
            for block in self.sel.xpath("//script[@type='application/ld+json']/text()").getall():
                text = block.strip().replace("/* <![CDATA[ */", "").replace("/* ]]> */", "")
                try:
                    value = json.loads(text)
                except ValueError:
                    continue
                items = value if isinstance(value, list) else value.get("@graph", [value])
                self._ld += [i for i in items if isinstance(i, dict)]
        if not types: return self._ld
        return [i for i in self._ld if (i.get("@type") in types) or (isinstance(i.get("@type"), list) and set(i["@type"]) & set(types))]
    def next(self):
        if self._next is None:
            text = self.sel.xpath("//script[@id='__NEXT_DATA__']/text()").get()
            self._next = json.loads(text) if text else {}
        return self._next

def values(rule, node, page, spec_page):
    if "css" in rule or "xpath" in rule:
        start = page.sel if rule.get("scope") == "page" else node
        matches = start.css(rule["css"]) if "css" in rule else start.xpath(rule["xpath"])
        if rule.get("present"): return [bool(matches)]
        if "attr" in rule: raw = [m.attrib.get(rule["attr"]) for m in matches]
        else: raw = [" ".join("".join(m.xpath("string(.)").getall()).split()) if not isinstance(m.root, str) else " ".join(m.root.split()) for m in matches]
    elif "jsonld" in rule:
        raw = []
        for item in page.ld(spec_page.get("jsonld_type", [])):
            raw = walk(item, rule["jsonld"])
            if raw: break
    elif "next_data" in rule: raw = walk(page.next(), rule["next_data"])
    elif "meta" in rule:
        key = rule["meta"]
        raw = page.sel.xpath(f"//meta[@property='{key}' or @name='{key}']/@content").getall()
    elif "url" in rule: raw = [page.groups.get(rule["url"])]
    else: return [rule["value"]]
    out = []
    for v in raw:
        if v is None: continue
        v = str(v)
        pieces = v.split(rule["split"]) if "split" in rule else [v]
        if "_re" in rule:
            found = []
            for p in pieces:
                for m in rule["_re"].finditer(p):
                    found += [g for g in m.groups() if g] if m.groups() else [m.group(0)]
            pieces = found
        for p in pieces:
            p = p.strip()
            if not p or p in PLACEHOLDERS: continue
            p = rule.get("map", {}).get(p, p)
            if "template" in rule: p = rule["template"].replace("{}", p)
            out.append(p)
    return out

def clean(v):
    if isinstance(v, bool): return v
    v = " ".join(str(v).split())
    try: return int(v.replace(",", ""))
    except ValueError:
        try: return float(v)
        except ValueError: return v

def extract(sites, html):
    sel = Selector(text=html)
    url = sel.xpath("//link[@rel='canonical']/@href").get() or sel.xpath("//meta[@property='og:url']/@content").get()
    for spec in sites:
        for page in spec["page"]:
            groups = None
            if url:
                for pattern in page["_urls"]:
                    m = pattern.search(url)
                    if m: groups = {k: v for k, v in m.groupdict().items() if v}; break
                if groups is None: continue
            elif "detect" not in page: continue
            else: groups = {}
            ctx = Page(sel, url or "", groups)
            if "detect" in page and not any(sel.css(r["css"]) if "css" in r else sel.xpath(r["xpath"]) for r in page["detect"]): continue
            nodes = [sel]
            if "each" in page:
                each = page["each"]
                nodes = sel.css(each["css"]) if "css" in each else sel.xpath(each["xpath"])
            records = []
            for node in nodes:
                record = {"type": page["record"], "site": spec["site"], "source_url": ctx.url}
                for name, field in page.get("fields", {}).items():
                    for rule in field["rules"]:
                        found = values(rule, node, ctx, page)
                        if found:
                            record[name] = [clean(v) for v in found] if field.get("list") else clean(found[0])
                            break
                records.append(record)
            return records
    raise ValueError("unrecognised page")

_worker = {}

def _init(sites, pages):
    _worker["sites"], _worker["pages"] = sites, pages

def _extract_page(index):
    # One page in a pool worker: the same work as the single-process loop, JSON Lines returned.
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in extract(_worker["sites"], _worker["pages"][index]))

def main():
    sites = load(sys.argv[1])
    root, seconds = sys.argv[2], float(sys.argv[3])
    # PROCESSES=N runs the script on a multiprocessing pool of N (what parsel needs for more cores).
    processes = int(os.environ.get("PROCESSES", "1"))
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".html"))
    pages = [open(f, encoding="utf-8", errors="replace").read() for f in files]
    records = sum(len(extract(sites, p)) for p in pages)
    start, parsed = time.perf_counter(), 0
    if processes > 1:
        import multiprocessing
        with multiprocessing.Pool(processes, initializer=_init, initargs=(sites, pages)) as pool:
            start = time.perf_counter()
            while time.perf_counter() - start < seconds:
                parsed += len(pool.map(_extract_page, range(len(pages)), chunksize=2))
    else:
        while time.perf_counter() - start < seconds:
            for p in pages:
                out = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in extract(sites, p))
                parsed += 1
    elapsed = time.perf_counter() - start
    print(f"parsel {len(pages)} pages {parsed / elapsed:.1f} pages/s {records} records/pass {processes} processes")

main()
