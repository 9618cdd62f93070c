#!/usr/bin/env python3
"""Baseline clustering score on the held-out evaluation set (eval-audio/).

The baseline from the issue: for each file, librosa.load(sr=22050, mono);
features = mean and std over frames of MFCC(20) + chroma_stft (12) +
spectral_centroid (1), i.e. a 2*(20+12+1) = 66-dim vector; StandardScaler;
KMeans(n_clusters=<number of sources>, n_init=10, random_state=0). Prints JSON
with the adjusted Rand index and adjusted mutual information against the
source labels.

    scripts/make-eval-audio
    scripts/py eval_baseline [eval-audio] [--labels eval-audio/labels.csv] [--jobs 2] [--seeds 0,1,2]
"""
import csv
import json
import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from songatlas_py import ANALYSIS_RATE, REPO_ROOT, argument_parser, load_mono


def features(path):
    import librosa

    y, sr = load_mono(path, ANALYSIS_RATE)
    parts = [
        librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20),
        librosa.feature.chroma_stft(y=y, sr=sr),
        librosa.feature.spectral_centroid(y=y, sr=sr),
    ]
    frames = np.vstack(parts)  # (33, n_frames)
    return np.concatenate([frames.mean(axis=1), frames.std(axis=1)])


def read_labels(directory, labels_csv):
    if labels_csv is None:
        labels_csv = os.path.join(directory, "labels.csv")
    rows = []
    if os.path.exists(labels_csv):
        with open(labels_csv, newline="") as f:
            for row in csv.DictReader(f):
                rows.append((os.path.join(directory, row["path"]), row["label"]))
    else:  # fall back to the file name convention <source>--<track>.flac
        for name in sorted(os.listdir(directory)):
            if name.endswith(".flac") and "--" in name:
                rows.append((os.path.join(directory, name), name.split("--", 1)[0]))
    return rows


def main():
    ap = argument_parser(__doc__)
    ap.add_argument("directory", nargs="?", default=str(REPO_ROOT / "eval-audio"))
    ap.add_argument("--labels", help="CSV with header path,label (default: <directory>/labels.csv)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--seeds", default="0", help="comma-separated KMeans random_state values (default 0)")
    args = ap.parse_args()

    rows = read_labels(args.directory, args.labels)
    if not rows:
        sys.exit(f"eval_baseline: no tracks in {args.directory} (run scripts/make-eval-audio)")
    paths = [p for p, _ in rows]
    labels = [l for _, l in rows]

    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            X = np.array(list(pool.map(features, paths, chunksize=4)))
    else:
        X = np.array([features(p) for p in paths])

    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score
    from sklearn.preprocessing import StandardScaler

    k = len(set(labels))
    Xs = StandardScaler().fit_transform(X)
    runs = []
    for seed in [int(s) for s in args.seeds.split(",")]:
        pred = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(Xs)
        runs.append({"seed": seed, "ari": round(float(adjusted_rand_score(labels, pred)), 4),
                     "ami": round(float(adjusted_mutual_info_score(labels, pred)), 4)})

    print(json.dumps({
        "tracks": len(paths),
        "sources": k,
        "dims": int(X.shape[1]),
        "ari": runs[0]["ari"],
        "ami": runs[0]["ami"],
        "runs": runs,
        "perSource": dict(sorted(Counter(labels).items())),
    }, indent=2))


if __name__ == "__main__":
    main()
