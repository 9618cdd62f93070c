#!/usr/bin/env python3
"""scikit-learn side of the k-means benchmark.

    "$(scripts/python-env)" scripts/kmeans_bench.py MATRIX.f32 [--rows 100000] [--columns 40] [--repeats 3]

Makes (once) a seeded 100,000 x 40 float32 matrix of 8 overlapping Gaussian
blobs at MATRIX.f32 (raw little-endian float32, row-major), then times
sklearn.cluster.KMeans(n_clusters=8, n_init=10) on it with the machine's
cores. Prints one JSON object: median seconds and the best inertia.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np


def make_matrix(path, rows, columns):
    rng = np.random.default_rng(20261125)
    centres = rng.normal(0.0, 3.0, size=(8, columns))
    labels = rng.integers(0, 8, size=rows)
    data = centres[labels] + rng.normal(0.0, 2.0, size=(rows, columns))
    data.astype("<f4").tofile(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("matrix")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--columns", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not os.path.exists(args.matrix):
        make_matrix(args.matrix, args.rows, args.columns)
    data = np.fromfile(args.matrix, dtype="<f4").reshape(args.rows, args.columns)

    import sklearn
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_info

    times, inertias = [], []
    for repeat in range(args.repeats):
        start = time.perf_counter()
        model = KMeans(n_clusters=8, n_init=10, random_state=repeat).fit(data)
        times.append(time.perf_counter() - start)
        inertias.append(float(model.inertia_))
        print(f"sklearn pass {repeat + 1}: {times[-1]:.3f} s, inertia {inertias[-1]:.6g}", file=sys.stderr)
    json.dump({
        "tool": "scikit-learn", "version": sklearn.__version__,
        "threads": [(p.get("internal_api"), p.get("num_threads")) for p in threadpool_info()],
        "medianSeconds": statistics.median(times), "inertia": min(inertias),
        "inertiaMedian": statistics.median(inertias),
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
