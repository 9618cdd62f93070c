#!/usr/bin/env python3
"""scikit-learn side of the clusterers benchmark (GMM, Ward, HDBSCAN).

    scripts/py clusterers_bench FOLDER [--repeats 3] [--only gmm|ward|hdbscan]

(songatlas-bench clusterers --peer PYTHON runs it and reads its output.)

Makes (once, seeded) three raw float32 matrices of 8 overlapping Gaussian
blobs in FOLDER: gmm-100000x32.f32, ward-10000x200.f32, hdbscan-20000x32.f32,
then times with the machine's cores:
  GaussianMixture(n_components=8, covariance_type='diag', random_state=r).fit(X)   (score(X) reported)
  AgglomerativeClustering(n_clusters=8, linkage='ward').fit(X)
  HDBSCAN(min_cluster_size=5, copy=True).fit(X)                                     (clusters and noise reported)
Prints one JSON object: per case the median wall and CPU seconds (all threads) and what it found.
"""
import os
import statistics
import time

from songatlas_py import argument_parser, blob_matrix, log, print_json

CASES = {"gmm": ("gmm-100000x32.f32", 100_000, 32),
         "ward": ("ward-10000x200.f32", 10_000, 200),
         "hdbscan": ("hdbscan-20000x32.f32", 20_000, 32)}


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("folder", help="where the seeded matrices are (made when missing)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=sorted(CASES), action="append")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)

    import numpy as np
    import sklearn
    from sklearn.cluster import HDBSCAN, AgglomerativeClustering
    from sklearn.mixture import GaussianMixture

    out = {"tool": "scikit-learn", "version": sklearn.__version__}
    for name in args.only or sorted(CASES):
        file, rows, columns = CASES[name]
        data = blob_matrix(os.path.join(args.folder, file), rows, columns)
        times, cpu, found = [], [], []
        for repeat in range(args.repeats):
            start = time.perf_counter()
            start_cpu = time.process_time()
            if name == "gmm":
                model = GaussianMixture(n_components=8, covariance_type="diag", random_state=repeat).fit(data)
                elapsed = time.perf_counter() - start
                found.append({"logLikelihood": float(model.score(data)), "iterations": int(model.n_iter_)})
            elif name == "ward":
                model = AgglomerativeClustering(n_clusters=8, linkage="ward").fit(data)
                elapsed = time.perf_counter() - start
                found.append({"clusterSizes": sorted(np.bincount(model.labels_).tolist(), reverse=True)})
            else:
                model = HDBSCAN(min_cluster_size=5, copy=True).fit(data)
                elapsed = time.perf_counter() - start
                found.append({"clusters": int(model.labels_.max() + 1), "noise": int((model.labels_ < 0).sum())})
            times.append(elapsed)
            cpu.append(time.process_time() - start_cpu)
            log(f"sklearn {name} pass {repeat + 1}: {elapsed:.3f} s {found[-1]}")
        out[name] = {"medianSeconds": statistics.median(times), "medianCPUSeconds": statistics.median(cpu), "runs": found}
    print_json(out)


if __name__ == "__main__":
    main()
