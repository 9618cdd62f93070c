#!/usr/bin/env python3
"""MSAF's Structural Features ("sf") segmentation peer on folders of collages.

    MSAF_PY=$(scripts/msaf-env); "$MSAF_PY" scripts/python/segment_peer_msaf.py DIR [DIR...]

Runs in its own environment (scripts/msaf-env: msaf 0.1.80 needs older numpy,
scipy and librosa than scripts/python-env pins), so it is not a `scripts/py`
helper. For every collage-NN.flac with a collage-NN.lab it calls

    msaf.process(path, boundaries_id="sf", labels_id=None)   # defaults: pcp features, beat-synchronous

(Serra et al. 2014, structure features from a recurrence plot's lag matrix),
which chooses the number of sections itself like `songatlas segment`, and
scores the boundaries with mir_eval.segment.detection at 3 s and 0.5 s,
untrimmed and trimmed. MSAF writes its feature cache and estimations next to
the file, so each collage is linked into a temporary folder first.

stdout: one JSON object per folder (one line each). stderr: progress.
"""
import argparse
import glob
import json
import os
import shutil
import tempfile
import time

import mir_eval
import msaf
import numpy as np


def read_lab(path):
    rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
    return np.array([[float(r[0]), float(r[1])] for r in rows]), [r[2] for r in rows]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    for folder in args.dirs:
        files = sorted(f for f in glob.glob(os.path.join(folder, "collage-*.flac")) if os.path.exists(f[:-5] + ".lab"))
        per = []
        started = time.perf_counter()
        for path in files:
            ref, labels = read_lab(path[:-5] + ".lab")
            work = tempfile.mkdtemp(prefix="songatlas-msaf-")
            cwd = os.getcwd()
            try:
                os.makedirs(os.path.join(work, "audio"))
                local = os.path.join(work, "audio", os.path.basename(path))
                os.symlink(os.path.abspath(path), local)
                os.chdir(work)
                times, _ = msaf.process(local, boundaries_id="sf", labels_id=None)
            finally:
                os.chdir(cwd)
                shutil.rmtree(work, ignore_errors=True)
            end = ref[-1, 1]
            bounds = np.unique(np.clip(np.concatenate([[0.0], np.asarray(times, dtype=float), [end]]), 0, end))
            est = np.column_stack([bounds[:-1], bounds[1:]])
            row = {"collage": os.path.basename(path)[:-5], "pattern": "".join(labels),
                   "refCuts": len(ref) - 1, "estCuts": len(est) - 1}
            for key, window, trim in [("F3", 3.0, False), ("F05", 0.5, False), ("F3trim", 3.0, True), ("F05trim", 0.5, True)]:
                row[key] = float(mir_eval.segment.detection(ref, est, window=window, trim=trim)[2])
            per.append(row)
            print(f"  {row['collage']} F@3 trimmed {row['F3trim']:.3f} cuts {row['estCuts']} (true {row['refCuts']})",
                  file=os.sys.stderr, flush=True)
        summary = {"tool": "msaf", "version": msaf.__version__, "call": 'msaf.process(path, boundaries_id="sf", labels_id=None)',
                   "folder": folder, "collages": len(per), "seconds": round(time.perf_counter() - started, 1)}
        for key in ["F3", "F05", "F3trim", "F05trim"]:
            summary["mean" + key] = round(float(np.mean([r[key] for r in per])), 4) if per else None
        summary["meanAbsCutError"] = round(float(np.mean([abs(r["estCuts"] - r["refCuts"]) for r in per])), 3) if per else None
        summary["perCollage"] = per
        print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
