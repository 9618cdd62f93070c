#!/usr/bin/env python3
"""bliss-rs side of the SongAtlas realtime benchmark, pinned to one core.

    "$(scripts/bliss-env)" scripts/python/bliss_bench.py bench-audio [--repeats 3]

(songatlas-bench realtime --bliss PYTHON runs it and reads its output.)

Runs in the environment scripts/bliss-env makes (bliss-audio 0.1.11, the Rust
library's own Python binding), not in scripts/python-env. Arguments may be FLAC
files or directories (their *.flac files are used), in sorted path order. One
pass analyses every file with `bliss_audio.Song(path)` (decode with FFmpeg,
resample to 22,050 Hz, and bliss's 20 features). The process is first pinned
to one processor of those it may use (bliss otherwise runs its feature threads
on several cores), so the figure is one core's. A warm-up on the first file is
not counted (--no-warmup skips it); the median of --repeats passes is reported.

stdout: one JSON object. stderr: progress.
"""
import os
import statistics
import sys
import time
from importlib import metadata

from songatlas_py import argument_parser, flac_files, log, pin_threads_to_one, print_json

pin_threads_to_one()


def main():
    ap = argument_parser(__doc__)
    ap.add_argument("paths", nargs="+", help="FLAC files or directories holding them")
    ap.add_argument("--repeats", type=int, default=3, help="passes over all files (default 3)")
    ap.add_argument("--no-warmup", action="store_true",
                    help="skip the warm-up (for timing the whole process from outside, e.g. with farm-bench)")
    args = ap.parse_args()
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")

    allowed = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {allowed[0]})
    log(f"bliss_bench: pinned to processor {allowed[0]} (of {allowed})")

    import bliss_audio

    files = flac_files(args.paths)
    if not files:
        sys.exit("bliss_bench: no FLAC files given")

    if not args.no_warmup:
        t = time.perf_counter()
        song = bliss_audio.Song(files[0])
        log(f"warm-up on {os.path.basename(files[0])}: {time.perf_counter() - t:.2f} s, "
            f"{len(song.analysis)} features")

    audio_seconds = 0.0
    pass_seconds = []
    for r in range(args.repeats):
        durations = 0.0
        t0 = time.perf_counter()
        for f in files:
            song = bliss_audio.Song(f)
            durations += song.duration.total_seconds()
        dt = time.perf_counter() - t0
        audio_seconds = durations
        pass_seconds.append(dt)
        log(f"pass {r + 1}/{args.repeats}: {dt:.3f} s ({durations / dt:.1f}x realtime)")

    median = statistics.median(pass_seconds)
    print_json({
        "tool": "bliss-rs",
        "version": metadata.version("bliss-audio"),
        "files": len(files),
        "audioSeconds": round(audio_seconds, 3),
        "repeats": args.repeats,
        "processor": allowed[0],
        "passSeconds": [round(x, 4) for x in pass_seconds],
        "medianSeconds": round(median, 4),
        "xRealtime": round(audio_seconds / median, 2),
    }, indent=2)


if __name__ == "__main__":
    main()
