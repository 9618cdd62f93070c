#!/usr/bin/env python3
"""librosa structure-segmentation peer on collage-audio/ (single thread).

    scripts/py segment_peer [collage-audio] [--features mfcc+chroma|chroma_cqt]

For every collage-NN.flac with a reference collage-NN.lab it follows librosa's
documented agglomerative example (librosa.segment.agglomerative docs), told
the TRUE number of reference sections k:

    y, sr = librosa.load(path)                  # 22050 Hz mono, default hop 512
    F = z-score rows of vstack(mfcc(n_mfcc=20), chroma_stft())   # default
    bounds = librosa.segment.agglomerative(F, k)                 # k frames, first 0
    times  = librosa.frames_to_time(bounds, sr=sr)
    intervals = [times[i], times[i+1]) ... [times[-1], duration)

and scores it with mir_eval.segment.detection(ref, est, window=3.0, trim=False)
and window=0.5 (trim=True figures, interior boundaries only, are added for
context). The z-score is per feature dimension over the whole track.
Timing (x-realtime = audio seconds / wall seconds) is reported for the whole
pipeline including decode + resample, and for features + segmentation only;
a warm-up on the first collage (numba JIT) is not counted.

stdout: one JSON object. stderr: progress.
"""
import glob
import json
import os
import time

from songatlas_py import ANALYSIS_RATE, REPO_ROOT, argument_parser, load_mono, log, pin_threads_to_one

pin_threads_to_one()  # before numpy / numba are imported

import librosa  # noqa: E402
import mir_eval  # noqa: E402
import numpy as np  # noqa: E402


def read_lab(path):
    starts, ends, labels = [], [], []
    with open(path) as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            starts.append(float(parts[0]))
            ends.append(float(parts[1]))
            labels.append(parts[2])
    return np.column_stack([starts, ends]), labels


def features(y, sr, kind):
    if kind == "chroma_cqt":
        return librosa.feature.chroma_cqt(y=y, sr=sr)
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)
    chroma = librosa.feature.chroma_stft(y=y, sr=sr)
    n = min(mfcc.shape[1], chroma.shape[1])
    F = np.vstack([mfcc[:, :n], chroma[:, :n]])
    mu = F.mean(axis=1, keepdims=True)
    sd = F.std(axis=1, keepdims=True)
    return (F - mu) / np.where(sd > 0, sd, 1.0)


def segment(path, k, kind):
    t0 = time.perf_counter()
    y, sr = load_mono(path, ANALYSIS_RATE)
    t1 = time.perf_counter()
    F = features(y, sr, kind)
    bounds = librosa.segment.agglomerative(F, k)
    t2 = time.perf_counter()
    duration = len(y) / sr
    times = librosa.frames_to_time(bounds, sr=sr)
    times = np.unique(np.concatenate([[0.0], times[times < duration]]))
    edges = np.concatenate([times, [duration]])
    est = np.column_stack([edges[:-1], edges[1:]])
    return est, duration, t1 - t0, t2 - t1


def main():
    ap = argument_parser(__doc__)
    ap.add_argument("dir", nargs="?", default=str(REPO_ROOT / "collage-audio"))
    ap.add_argument("--features", choices=["mfcc+chroma", "chroma_cqt"], default="mfcc+chroma")
    args = ap.parse_args()

    files = sorted(glob.glob(os.path.join(args.dir, "*.flac")))
    files = [f for f in files if os.path.exists(f[:-5] + ".lab")]
    if not files:
        raise SystemExit(f"segment_peer: no .flac/.lab pairs in {args.dir} (run scripts/make-collage-audio)")

    ref0, _ = read_lab(files[0][:-5] + ".lab")
    segment(files[0], len(ref0), args.features)  # warm-up, not timed

    per, audio_s, load_s, seg_s = [], 0.0, 0.0, 0.0
    for f in files:
        ref, labels = read_lab(f[:-5] + ".lab")
        k = len(ref)
        est, dur, tl, ts = segment(f, k, args.features)
        # mir_eval wants both annotations to span the same range; the reference
        # ends at the exact sample count, the estimate at len(y)/sr.
        est[-1, 1] = ref[-1, 1] = max(est[-1, 1], ref[-1, 1])
        p3, r3, f3 = mir_eval.segment.detection(ref, est, window=3.0, trim=False)
        p05, r05, f05 = mir_eval.segment.detection(ref, est, window=0.5, trim=False)
        # Context only: trim=True drops the trivially matched first/last boundary.
        _, _, f3t = mir_eval.segment.detection(ref, est, window=3.0, trim=True)
        _, _, f05t = mir_eval.segment.detection(ref, est, window=0.5, trim=True)
        audio_s += dur
        load_s += tl
        seg_s += ts
        name = os.path.basename(f)[:-5]
        per.append({
            "collage": name, "pattern": "".join(labels), "k": k, "seconds": round(dur, 3),
            "refBoundaries": [round(x, 3) for x in ref[1:, 0]],
            "estBoundaries": [round(float(x), 3) for x in est[1:, 0]],
            "F3": round(float(f3), 4), "P3": round(float(p3), 4), "R3": round(float(r3), 4),
            "F05": round(float(f05), 4), "P05": round(float(p05), 4), "R05": round(float(r05), 4),
            "F3trim": round(float(f3t), 4), "F05trim": round(float(f05t), 4),
        })
        log(f"  {name} {''.join(labels):7s} k={k} F@3={f3:.3f} F@0.5={f05:.3f}")

    def mean(key, rows):
        return round(float(np.mean([r[key] for r in rows])), 4) if rows else None

    feat_desc = ("MFCC(20) + chroma_stft (12) stacked, each row z-scored over the track; "
                 "librosa defaults: 22050 Hz mono, n_fft 2048, hop 512"
                 if args.features == "mfcc+chroma" else
                 "chroma_cqt, librosa defaults: 22050 Hz mono, hop 512")
    # The collage builder alternates one-source (odd NN) and multi-source (even NN).
    one = [r for r in per if int(r["collage"].split("-")[-1]) % 2 == 1]
    multi = [r for r in per if int(r["collage"].split("-")[-1]) % 2 == 0]
    out = {
        "peer": "librosa.segment.agglomerative",
        "version": {"librosa": librosa.__version__, "mir_eval": mir_eval.__version__, "numpy": np.__version__},
        "features": feat_desc,
        "k": "true number of reference sections",
        "scoring": "mir_eval.segment.detection(ref, est, window=W, trim=False), W = 3.0 and 0.5",
        "threads": 1,
        "collages": len(per),
        "audioSeconds": round(audio_s, 2),
        "timing": {
            "loadSeconds": round(load_s, 3),
            "featuresAndSegmentSeconds": round(seg_s, 3),
            "xRealtimeTotal": round(audio_s / (load_s + seg_s), 1),
            "xRealtimeFeaturesAndSegment": round(audio_s / seg_s, 1),
        },
        "perCollage": per,
        "meanF3": mean("F3", per),
        "meanF05": mean("F05", per),
        "note": ("trim=False counts the start (0) and end boundaries, which every estimate "
                 "matches; meanF3trim / meanF05trim (trim=True, interior cuts only) are given for context"),
        "meanF3trim": mean("F3trim", per),
        "meanF05trim": mean("F05trim", per),
        "oneSource": {"n": len(one), "meanF3": mean("F3", one), "meanF05": mean("F05", one),
                      "meanF3trim": mean("F3trim", one), "meanF05trim": mean("F05trim", one)},
        "multiSource": {"n": len(multi), "meanF3": mean("F3", multi), "meanF05": mean("F05", multi),
                        "meanF3trim": mean("F3trim", multi), "meanF05trim": mean("F05trim", multi)},
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
