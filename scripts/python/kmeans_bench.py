#!/usr/bin/env python3
"""scikit-learn side of the k-means benchmark.

    scripts/py kmeans_bench MATRIX.f32 [--rows 100000] [--columns 40] [--repeats 3]

(songatlas-bench kmeans --peer PYTHON runs it and reads its output.)

Makes (once) a seeded 100,000 x 40 float32 matrix of 8 overlapping Gaussian
blobs at MATRIX.f32 (raw little-endian float32, row-major), then times
sklearn.cluster.KMeans(n_clusters=8, n_init=10) on it with the machine's
cores. Prints one JSON object: median seconds and the best inertia.
"""
import statistics
import time

from songatlas_py import argument_parser, blob_matrix, log, print_json


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("matrix", help="raw float32 matrix; made (seeded) when missing")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--columns", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = blob_matrix(args.matrix, args.rows, args.columns)

    import sklearn
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_info

    times, inertias = [], []
    for repeat in range(args.repeats):
        start = time.perf_counter()
        model = KMeans(n_clusters=8, n_init=10, random_state=repeat).fit(data)
        times.append(time.perf_counter() - start)
        inertias.append(float(model.inertia_))
        log(f"sklearn pass {repeat + 1}: {times[-1]:.3f} s, inertia {inertias[-1]:.6g}")
    print_json({
        "tool": "scikit-learn", "version": sklearn.__version__,
        "threads": [(p.get("internal_api"), p.get("num_threads")) for p in threadpool_info()],
        "medianSeconds": statistics.median(times), "inertia": min(inertias),
        "inertiaMedian": statistics.median(inertias),
    })


if __name__ == "__main__":
    main()
