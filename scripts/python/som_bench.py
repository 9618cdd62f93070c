#!/usr/bin/env python3
"""MiniSom side of the self-organising-map benchmark.

    scripts/py som_bench MATRIX.f32 [--rows 10000] [--columns 40]
        [--grid 20x20] [--iterations 10000] [--repeats 3]

(songatlas-bench som --peer PYTHON runs it and reads its output.)

Makes (once) a seeded 10,000 x 40 float32 matrix of 8 overlapping Gaussian
blobs at MATRIX.f32 (raw little-endian float32, row-major; same generator and
seed as kmeans_bench.py: songatlas_py.blob_matrix, only fewer rows). The data is used as is: it is NOT
z-scored or otherwise normalised, so a Swift peer must train on the raw values.

Each repeat r = 0, 1, ... runs exactly these calls on the float32 matrix:

    som = MiniSom(W, H, columns, sigma=max(W, H) / 2, learning_rate=0.5,
                  neighborhood_function='gaussian', random_seed=r)
    som.random_weights_init(data)       # not timed (reported as initSeconds)
    som.train_random(data, iterations)  # timed: medianSeconds
    som.quantization_error(data), som.topographic_error(data)   # not timed

All other MiniSom arguments keep their 2.3.6 defaults: topology='rectangular',
activation_distance='euclidean', decay_function='asymptotic_decay' and
sigma_decay_function='asymptotic_decay', i.e. at update t = 0 .. T-1
learning_rate(t) = 0.5 / (1 + t / (T/2)) and sigma(t) = sigma / (1 + t / (T/2))
(both end near a third of their start values). Prints one JSON object; the
quality numbers are those of the run with the median training time.
"""
import argparse
import statistics
import time

from songatlas_py import argument_parser, blob_matrix, log, print_json


def grid(text):
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH, got {text!r}")
    if w < 1 or h < 1:
        raise argparse.ArgumentTypeError(f"grid sides must be >= 1, got {text!r}")
    return w, h


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("matrix", help="raw float32 matrix; made (seeded) when missing")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--columns", type=int, default=40)
    parser.add_argument("--grid", type=grid, default=(20, 20))
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = blob_matrix(args.matrix, args.rows, args.columns)

    from importlib.metadata import version

    import numpy as np
    from minisom import MiniSom

    width, height = args.grid
    sigma = max(width, height) / 2
    runs = []
    for repeat in range(args.repeats):
        som = MiniSom(width, height, args.columns, sigma=sigma, learning_rate=0.5,
                      neighborhood_function="gaussian", random_seed=repeat)
        start = time.perf_counter()
        som.random_weights_init(data)
        init_seconds = time.perf_counter() - start
        start = time.perf_counter()
        som.train_random(data, args.iterations)
        seconds = time.perf_counter() - start
        run = {"seed": repeat, "seconds": seconds, "initSeconds": init_seconds,
               "quantizationError": float(som.quantization_error(data)),
               "topographicError": float(som.topographic_error(data))}
        runs.append(run)
        log(f"minisom pass {repeat + 1}: {seconds:.3f} s, QE {run['quantizationError']:.6g},"
            f" TE {run['topographicError']:.6g}")

    # The run with the median time (the lower middle one for an even count).
    median_run = sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]
    print_json({
        "tool": "minisom", "version": version("minisom"), "numpy": np.__version__,
        "rows": args.rows, "columns": args.columns,
        "grid": [width, height], "sigma": sigma, "learningRate": 0.5,
        "iterations": args.iterations,
        "medianSeconds": statistics.median(r["seconds"] for r in runs),
        "quantizationError": median_run["quantizationError"],
        "topographicError": median_run["topographicError"],
        "medianRunSeed": median_run["seed"],
        "runs": runs,
    })


if __name__ == "__main__":
    main()
