"""onnxruntime's side of the serving benchmark: InferenceSession.run on the exported rating
model for batches of 1 and 100 pairs (same index ranges as the wrk script), in-process, one
thread. Prints one line per batch size: calls/s, p50 and p99 latency in ms."""
import sys
import time

import numpy as np
import onnxruntime as ort

model, users, films, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
options = ort.SessionOptions()
options.intra_op_num_threads = 1
session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
rng = np.random.default_rng(7)
for batch in (1, 100):
    feed = {"user_index": rng.integers(0, users + 1, batch, dtype=np.int64),
            "item_index": rng.integers(0, films + 1, batch, dtype=np.int64)}
    latencies = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        session.run(["rating"], feed)
        latencies.append(time.perf_counter() - start)
    latencies = np.asarray(latencies) * 1000
    print(f"ORT {batch} {len(latencies) / seconds:.1f} {np.percentile(latencies, 50):.4f} {np.percentile(latencies, 99):.4f}")
