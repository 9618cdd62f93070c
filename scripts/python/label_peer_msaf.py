#!/usr/bin/env python3
"""MSAF's label algorithms as LABEL peers on folders of collages.

    MSAF_PY=$(scripts/msaf-env); "$MSAF_PY" scripts/python/label_peer_msaf.py DIR [DIR...]

Runs in the environment of scripts/msaf-env (msaf 0.1.80). For every
collage-NN.flac with a collage-NN.lab, two configurations, each choosing the
number of sections and of labels itself, like `songatlas segment`:

    scluster: msaf.process(path, boundaries_id="scluster", labels_id="scluster")
              (McFee & Ellis 2014, Laplacian structure decomposition)
    fmc2d:    msaf.process(path, boundaries_id="sf", labels_id="fmc2d")
              (Nieto & Bello 2013, 2D-Fourier magnitude coefficients, labelling
              the structural-features boundaries)

(MSAF defaults otherwise: pcp features, beat-synchronous.) Scores:
mir_eval.segment.pairwise, mir_eval.segment.nce (over, under), boundary hit
rate F at 3 s and 0.5 s, and whether a piece whose reference repeats a label
came out with one. MSAF writes its feature cache next to the file, so each
collage is linked into a temporary folder first.

stdout: one JSON object per folder and configuration (one line each). stderr: progress.
"""
import argparse
import glob
import json
import os
import shutil
import tempfile

import numpy as np

if not hasattr(np, "int"):
    np.int = int  # mir_eval 0.7 (msaf-env's pin) still calls np.int in nce, gone since numpy 1.24

import mir_eval  # noqa: E402
import msaf  # noqa: E402

CONFIGURATIONS = {"scluster": ("scluster", "scluster"), "fmc2d": ("sf", "fmc2d")}


def read_lab(path):
    rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
    return np.array([[float(r[0]), float(r[1])] for r in rows]), [r[2] for r in rows]


def score(ref, ref_labels, times, labels):
    end = ref[-1, 1]
    bounds = np.clip(np.asarray(times, dtype=float), 0, end)
    est = np.column_stack([bounds[:-1], bounds[1:]])
    est_labels = [str(label) for label in labels][: len(est)]
    keep = est[:, 1] > est[:, 0]
    est, est_labels = est[keep], [label for label, k in zip(est_labels, keep) if k]
    est[0, 0], est[-1, 1] = 0.0, end
    p, r, f = mir_eval.segment.pairwise(ref, ref_labels, est, est_labels)
    over, under, _ = mir_eval.segment.nce(ref, ref_labels, est, est_labels)
    return {"pairP": float(p), "pairR": float(r), "pairF": float(f), "over": float(over), "under": float(under),
            "F3": float(mir_eval.segment.detection(ref, est, window=3.0)[2]),
            "F05": float(mir_eval.segment.detection(ref, est, window=0.5)[2]),
            "refRepeats": len(set(ref_labels)) < len(ref_labels),
            "estRepeats": len(set(est_labels)) < len(est_labels)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    for folder in args.dirs:
        files = sorted(f for f in glob.glob(os.path.join(folder, "collage-*.flac")) if os.path.exists(f[:-5] + ".lab"))
        per = {name: [] for name in CONFIGURATIONS}
        for path in files:
            ref, ref_labels = read_lab(path[:-5] + ".lab")
            work = tempfile.mkdtemp(prefix="songatlas-msaf-")
            cwd = os.getcwd()
            try:
                os.makedirs(os.path.join(work, "audio"))
                local = os.path.join(work, "audio", os.path.basename(path))
                os.symlink(os.path.abspath(path), local)
                os.chdir(work)
                for name, (bounds_id, labels_id) in CONFIGURATIONS.items():
                    times, labels = msaf.process(local, boundaries_id=bounds_id, labels_id=labels_id)
                    row = {"collage": os.path.basename(path)[:-5], "pattern": "".join(ref_labels)}
                    row.update(score(ref, ref_labels, times, labels))
                    per[name].append(row)
                    print(f"  {name} {row['collage']} pairwise F {row['pairF']:.3f} repeats {row['estRepeats']}",
                          file=os.sys.stderr, flush=True)
            finally:
                os.chdir(cwd)
                shutil.rmtree(work, ignore_errors=True)
        for name, rows in per.items():
            out = {"tool": "msaf", "version": msaf.__version__, "configuration": name,
                   "call": 'msaf.process(path, boundaries_id="%s", labels_id="%s")' % CONFIGURATIONS[name],
                   "folder": folder, "collages": len(rows)}
            for key in ["pairP", "pairR", "pairF", "over", "under", "F3", "F05"]:
                out[key] = round(float(np.mean([row[key] for row in rows])), 4) if rows else None
            with_repeat = [row for row in rows if row["refRepeats"]]
            out["repeatFound"] = sum(row["estRepeats"] for row in with_repeat)
            out["withRepeat"] = len(with_repeat)
            out["perCollage"] = rows
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
