# Shared set-up of the benchmarks that read the real pages with parsel/lxml as the peer.
# Sourced with $venv set; sets $pages, or exits 0 with a message when the pages are absent.
pages=${MARQUEE_SHARED:-../shared}/realpages
if [ ! -d "$pages" ]; then
    echo "skipped: $pages not found (set MARQUEE_SHARED to the team's shared folder)" >&2
    exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check parsel lxml cssselect
fi
