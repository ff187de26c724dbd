"""Surprise's side of the training benchmark: k-fold CV of one algorithm on a ratings CSV.

Usage: surprise_cv.py CSV ALGORITHM FOLDS SEED RATING_MIN RATING_MAX
Reads the same file Marquee evaluates (columns user, film|movieId, rating, in file order), uses
KFold(FOLDS, random_state=SEED) and the algorithm with random_state=SEED, and prints one JSON
line: per-fold RMSE/MAE, fit and test seconds, and the CV wall time (data loading excluded).
"""
import json
import sys
import time

import pandas as pd
from surprise import SVD, BaselineOnly, Dataset, NormalPredictor, Reader, SVDpp
from surprise import accuracy
from surprise.model_selection import KFold

path, algorithm, folds, seed, low, high = sys.argv[1:7]
frame = pd.read_csv(path, dtype=str, keep_default_na=False)
user = next(c for c in ("user", "user_id", "userId") if c in frame.columns)
item = next(c for c in ("film", "item", "item_id", "movieId", "film_id") if c in frame.columns)
frame = frame[[user, item, "rating"]].astype({"rating": float})
data = Dataset.load_from_df(frame, Reader(rating_scale=(float(low), float(high))))
seed = int(seed)
make = {
    "svd": lambda: SVD(random_state=seed),
    "svdpp": lambda: SVDpp(random_state=seed, cache_ratings=True),
    "baseline": lambda: BaselineOnly(bsl_options={"method": "als"}, verbose=False),
    "random": lambda: NormalPredictor(),
}[algorithm]
rmse, mae, fit, test = [], [], [], []
started = time.perf_counter()
for trainset, testset in KFold(n_splits=int(folds), random_state=seed).split(data):
    algo = make()
    t0 = time.perf_counter()
    algo.fit(trainset)
    t1 = time.perf_counter()
    predictions = algo.test(testset)
    t2 = time.perf_counter()
    rmse.append(accuracy.rmse(predictions, verbose=False))
    mae.append(accuracy.mae(predictions, verbose=False))
    fit.append(t1 - t0)
    test.append(t2 - t1)
wall = time.perf_counter() - started
print(json.dumps({"algorithm": algorithm, "rmse": rmse, "mae": mae, "fit": fit, "test": test, "wall": wall}))
