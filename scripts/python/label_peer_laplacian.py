#!/usr/bin/env python3
"""librosa's Laplacian segmentation recipe (McFee & Ellis 2014) as a LABEL peer
on folders of collages, told the TRUE number of distinct labels.

    scripts/py label_peer_laplacian DIR [DIR...]

For every collage-NN.flac with a collage-NN.lab it runs the recipe of the
librosa gallery example "Laplacian segmentation" (librosa 0.11) unchanged:
CQT (3 bins a semitone, 7 octaves) in dB, beat-synchronous median; a
recurrence affinity (width 3, symmetric) smoothed by a time-lag median filter
(1×7); an MFCC path similarity between successive beats; the two balanced
(mu); the normalised Laplacian's eigenvectors median-filtered (9×1); k-means
on the first k normalised eigenvectors, k = the number of DISTINCT labels in
the reference (the recipe's one free parameter, given the truth). Runs of one
cluster become sections labelled by cluster.

Scores: mir_eval.segment.pairwise (precision, recall, F), mir_eval.segment.nce
(over-, under-segmentation), boundary hit rate F at 3 s and 0.5 s, and whether
a piece whose reference repeats a label came out with a repeated label.

stdout: one JSON object per folder (one line each). stderr: progress.
"""
import glob
import json
import os

from songatlas_py import ANALYSIS_RATE, argument_parser, load_mono, log, pin_threads_to_one

pin_threads_to_one()  # before numpy / numba are imported

import librosa  # noqa: E402
import mir_eval  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.ndimage  # noqa: E402
import scipy.sparse.csgraph  # noqa: E402
import sklearn  # noqa: E402
import sklearn.cluster  # noqa: E402


def read_lab(path):
    rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
    return np.array([[float(r[0]), float(r[1])] for r in rows]), [r[2] for r in rows]


def laplacian_segments(y, sr, k):
    """The gallery recipe; returns (intervals, labels)."""
    bins_per_octave, octaves = 12 * 3, 7
    C = librosa.amplitude_to_db(np.abs(librosa.cqt(y=y, sr=sr, bins_per_octave=bins_per_octave,
                                                    n_bins=octaves * bins_per_octave)), ref=np.max)
    _, beats = librosa.beat.beat_track(y=y, sr=sr, trim=False)
    Csync = librosa.util.sync(C, beats, aggregate=np.median)
    R = librosa.segment.recurrence_matrix(Csync, width=3, mode="affinity", sym=True)
    df = librosa.segment.timelag_filter(scipy.ndimage.median_filter)
    Rf = df(R, size=(1, 7))
    mfcc = librosa.feature.mfcc(y=y, sr=sr)
    Msync = librosa.util.sync(mfcc, beats)
    path_distance = np.sum(np.diff(Msync, axis=1) ** 2, axis=0)
    sigma = np.median(path_distance)
    path_sim = np.exp(-path_distance / sigma)
    R_path = np.diag(path_sim, k=1) + np.diag(path_sim, k=-1)
    deg_path = np.sum(R_path, axis=1)
    deg_rec = np.sum(Rf, axis=1)
    mu = deg_path.dot(deg_path + deg_rec) / np.sum((deg_path + deg_rec) ** 2)
    A = mu * Rf + (1 - mu) * R_path
    L = scipy.sparse.csgraph.laplacian(A, normed=True)
    _, evecs = scipy.linalg.eigh(L)
    evecs = scipy.ndimage.median_filter(evecs, size=(9, 1))
    Cnorm = np.cumsum(evecs ** 2, axis=1) ** 0.5
    X = evecs[:, :k] / Cnorm[:, k - 1:k]
    seg_ids = sklearn.cluster.KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X)
    bound_beats = 1 + np.flatnonzero(seg_ids[:-1] != seg_ids[1:])
    bound_beats = librosa.util.fix_frames(bound_beats, x_min=0)
    bound_segs = list(seg_ids[bound_beats])
    bound_frames = beats[bound_beats]
    bound_frames = librosa.util.fix_frames(bound_frames, x_min=None, x_max=C.shape[1] - 1)
    bound_times = librosa.frames_to_time(bound_frames, sr=sr)
    duration = len(y) / sr
    edges = list(bound_times[:-1]) + [duration]
    intervals = np.column_stack([edges[:-1], edges[1:]])
    return intervals, [f"s{label}" for label in bound_segs[: len(intervals)]]


def score(ref, ref_labels, est, est_labels):
    end = ref[-1, 1]
    est = np.clip(est, 0, end)
    keep = est[:, 1] > est[:, 0]
    est, est_labels = est[keep], [label for label, k in zip(est_labels, keep) if k]
    est[0, 0], est[-1, 1] = 0.0, end   # the recipe's first section starts at the first beat
    p, r, f = mir_eval.segment.pairwise(ref, ref_labels, est, est_labels)
    over, under, _ = mir_eval.segment.nce(ref, ref_labels, est, est_labels)
    f3 = mir_eval.segment.detection(ref, est, window=3.0)[2]
    f05 = mir_eval.segment.detection(ref, est, window=0.5)[2]
    return {"pairP": float(p), "pairR": float(r), "pairF": float(f), "over": float(over), "under": float(under),
            "F3": float(f3), "F05": float(f05), "refRepeats": len(set(ref_labels)) < len(ref_labels),
            "estRepeats": len(set(est_labels)) < len(est_labels)}


def summary(per):
    out = {key: round(float(np.mean([row[key] for row in per])), 4)
           for key in ["pairP", "pairR", "pairF", "over", "under", "F3", "F05"]}
    with_repeat = [row for row in per if row["refRepeats"]]
    out["repeatFound"] = sum(row["estRepeats"] for row in with_repeat)
    out["withRepeat"] = len(with_repeat)
    return out


def main():
    ap = argument_parser(__doc__)
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    for folder in args.dirs:
        files = sorted(f for f in glob.glob(os.path.join(folder, "collage-*.flac")) if os.path.exists(f[:-5] + ".lab"))
        per = []
        for path in files:
            ref, labels = read_lab(path[:-5] + ".lab")
            y, sr = load_mono(path, ANALYSIS_RATE)
            est, est_labels = laplacian_segments(y, sr, len(set(labels)))
            row = {"collage": os.path.basename(path)[:-5], "pattern": "".join(labels)}
            row.update(score(ref, labels, est, est_labels))
            per.append(row)
            log(f"  {row['collage']} pairwise F {row['pairF']:.3f} repeats {row['estRepeats']}")
        result = {"tool": "librosa Laplacian segmentation (gallery recipe), k = true distinct labels",
                  "version": {"librosa": librosa.__version__, "mir_eval": mir_eval.__version__,
                              "scikit-learn": sklearn.__version__},
                  "folder": folder, "collages": len(per)}
        result.update(summary(per))
        result["perCollage"] = per
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
