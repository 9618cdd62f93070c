#!/usr/bin/env python3
"""librosa side of the SongAtlas side-by-side benchmark (single thread).

    scripts/py librosa_bench bench-audio/*.flac [--repeats 3] [--limit-seconds S]

(songatlas-bench realtime --peer PYTHON runs it and reads its output.)

Arguments may be FLAC files or directories (their *.flac files are used).
Files are processed in sorted path order. Per file, one "full" pass does

    y, sr = librosa.load(path, sr=22050, mono=True)        # soxr_hq resampling
    librosa.feature.chroma_stft(y=y, sr=sr, tuning=0)
    librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)
    librosa.feature.spectral_centroid(y=y, sr=sr)

and a "load-only" pass does just the librosa.load (decode + downmix +
resample). A warm-up of the full pipeline on the first file (numba JIT, FFT
plans, imports, page cache) is not counted. Each pass over all files is
repeated --repeats times and the median wall time is reported.

stdout: one JSON object. stderr: environment notes (BLAS env vars, threadpools).
"""
import os
import platform
import statistics
import sys
import time

from songatlas_py import (ANALYSIS_RATE, THREAD_VARIABLES, argument_parser, flac_files, load_mono, log,
                          pin_threads_to_one, print_json)

pin_threads_to_one()  # before numpy / numba are imported


def main():
    ap = argument_parser(__doc__)
    ap.add_argument("paths", nargs="+", help="FLAC files or directories holding them")
    ap.add_argument("--repeats", type=int, default=3, help="passes over all files (default 3)")
    ap.add_argument("--limit-seconds", type=float, default=None,
                    help="use files in sorted order while their total duration stays <= S (at least one file)")
    args = ap.parse_args()
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")

    # Leave OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE as they are, but say what they are.
    blas_env = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") + THREAD_VARIABLES}
    for k, v in blas_env.items():
        log(f"env {k}={v if v is not None else '(unset)'}")

    import numpy as np
    import soundfile as sf
    import librosa

    threadpools = None
    try:
        import threadpoolctl
        threadpools = threadpoolctl.threadpool_info()
        for tp in threadpools:
            log("threadpool " + " ".join(f"{k}={tp.get(k)}" for k in
                                         ("user_api", "internal_api", "version", "num_threads",
                                          "threading_layer", "architecture", "filepath")))
    except ImportError:
        log("threadpoolctl not available")

    files = flac_files(args.paths)
    if not files:
        sys.exit("librosa_bench: no FLAC files given")
    durations = []
    for f in files:
        info = sf.info(f)
        durations.append(info.frames / info.samplerate)
    if args.limit_seconds is not None:
        keep, total = 0, 0.0
        for d in durations:
            if keep and total + d > args.limit_seconds:
                break
            keep += 1
            total += d
        files, durations = files[:keep], durations[:keep]
    audio_seconds = sum(durations)
    log(f"{len(files)} files, {audio_seconds:.1f} s of audio, {args.repeats} repeats")

    stage_names = ("load", "chroma_stft", "mfcc", "spectral_centroid")

    def full(path, stages):
        t0 = time.perf_counter()
        y, sr = load_mono(path, ANALYSIS_RATE)
        t1 = time.perf_counter()
        c = librosa.feature.chroma_stft(y=y, sr=sr, tuning=0)
        t2 = time.perf_counter()
        m = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)
        t3 = time.perf_counter()
        s = librosa.feature.spectral_centroid(y=y, sr=sr)
        t4 = time.perf_counter()
        for name, dt in zip(stage_names, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            stages[name] += dt
        return c.shape, m.shape, s.shape

    # Warm-up (not counted).
    t = time.perf_counter()
    shapes = full(files[0], dict.fromkeys(stage_names, 0.0))
    log(f"warm-up on {os.path.basename(files[0])}: {time.perf_counter() - t:.2f} s, "
        f"chroma {shapes[0]}, mfcc {shapes[1]}, centroid {shapes[2]}")

    pass_seconds, stage_passes = [], []
    for r in range(args.repeats):
        stages = dict.fromkeys(stage_names, 0.0)
        t0 = time.perf_counter()
        for f in files:
            full(f, stages)
        dt = time.perf_counter() - t0
        pass_seconds.append(dt)
        stage_passes.append(stages)
        log(f"full pass {r + 1}/{args.repeats}: {dt:.3f} s ({audio_seconds / dt:.1f}x realtime)")

    load_seconds = []
    for r in range(args.repeats):
        t0 = time.perf_counter()
        for f in files:
            load_mono(f, ANALYSIS_RATE)
        dt = time.perf_counter() - t0
        load_seconds.append(dt)
        log(f"load-only pass {r + 1}/{args.repeats}: {dt:.3f} s ({audio_seconds / dt:.1f}x realtime)")

    median = statistics.median(pass_seconds)
    load_median = statistics.median(load_seconds)
    result = {
        "tool": "librosa",
        "version": librosa.__version__,
        "files": len(files),
        "audioSeconds": round(audio_seconds, 3),
        "repeats": args.repeats,
        "passSeconds": [round(x, 4) for x in pass_seconds],
        "medianSeconds": round(median, 4),
        "xRealtime": round(audio_seconds / median, 2),
        "loadOnlyPassSeconds": [round(x, 4) for x in load_seconds],
        "loadOnlyMedianSeconds": round(load_median, 4),
        "loadOnlyXRealtime": round(audio_seconds / load_median, 2),
        # Median over passes of the per-pass time spent in each stage.
        "stageMedianSeconds": {k: round(statistics.median(p[k] for p in stage_passes), 4)
                               for k in stage_names},
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "soundfile": sf.__version__,
            "libsndfile": sf.__libsndfile_version__,
            "machine": platform.machine(),
            "env": blas_env,
            "threadpools": [{k: tp.get(k) for k in ("user_api", "internal_api", "version",
                                                     "num_threads", "architecture")}
                            for tp in (threadpools or [])],
        },
        "fileList": [os.path.basename(f) for f in files],
    }
    for mod in ("soxr", "numba", "scipy"):
        try:
            result["environment"][mod] = __import__(mod).__version__
        except Exception:
            pass
    print_json(result, indent=2)


if __name__ == "__main__":
    main()
