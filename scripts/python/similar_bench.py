#!/usr/bin/env python3
"""scikit-learn side of the similar-songs benchmark.

    scripts/py similar_bench MATRIX.f32 [--rows 100000] [--columns 40] [--repeats 5]

(songatlas-bench similar --peer PYTHON runs it and reads its output.)

Makes (once) the benchmarks' seeded float32 matrix at MATRIX.f32 (8 Gaussian
blobs, raw little-endian float32, row-major), fits
sklearn.neighbors.NearestNeighbors(n_neighbors=31, algorithm="brute") on it
and times kneighbors for one random row at a time (the 30 nearest besides
itself), on one thread as SongAtlas's query runs. Prints one JSON object:
the median seconds per query.
"""
from songatlas_py import pin_threads_to_one

pin_threads_to_one()

import statistics  # noqa: E402
import time  # noqa: E402

from songatlas_py import argument_parser, blob_matrix, print_json  # noqa: E402


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("matrix", help="raw float32 matrix; made (seeded) when missing")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--columns", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    data = blob_matrix(args.matrix, args.rows, args.columns)

    import numpy as np
    import sklearn
    from sklearn.neighbors import NearestNeighbors

    model = NearestNeighbors(n_neighbors=31, algorithm="brute").fit(data)
    rng = np.random.default_rng(5)
    model.kneighbors(data[:1])  # warm up
    times = []
    for _ in range(args.repeats):
        row = int(rng.integers(0, args.rows))
        start = time.perf_counter()
        model.kneighbors(data[row:row + 1])
        times.append(time.perf_counter() - start)
    print_json({"tool": "scikit-learn", "version": sklearn.__version__, "medianSeconds": statistics.median(times)})


if __name__ == "__main__":
    main()
