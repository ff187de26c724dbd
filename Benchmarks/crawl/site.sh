# Sourced by the crawl benchmarks: PAGES static pages (a binary tree from /p/0.html) written into
# $work/site and served by a loopback nginx; sets $start (the first page) and $depth (enough to
# reach every page), and stops nginx and deletes $work on exit.
chmod 755 "$work"
trap '[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
python3 Benchmarks/crawl/site.py "$work/site" "$pages"
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 100000;
    server { listen 127.0.0.1:$port; root $work/site; }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.5
start="http://127.0.0.1:$port/p/0.html"
depth=$(python3 -c "import math; print(int(math.log2($pages)) + 2)")

