"""Score `songatlas similar` and `songatlas path` on the real-music evaluation set (run by scripts/eval-similar).

Standard library only; the songatlas binary does the work. See scripts/eval-similar for what is printed.
"""

from __future__ import annotations

import atexit
import csv
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile

from songatlas_py import argument_parser, log

parser = argument_parser(__doc__)
parser.add_argument("--songatlas", required=True)
parser.add_argument("--audio", required=True)
parser.add_argument("--features", default=None, help="passed to songatlas --features")
parser.add_argument("--embedding", default=None, help="passed to songatlas --embedding (mtt, msd, mtt+msd)")
parser.add_argument("--pairs", type=int, default=40, help="random FROM/TO pairs for path (default 40)")
parser.add_argument("--half", choices=["dev", "test"], default=None,
                    help="score one half of the set only, as scripts/eval-playlists splits it (the n-th clip of each "
                         "source, by name, is DEV when n is even); the library is then that half alone")
parser.add_argument("--precision-only", action="store_true", help="print precision@10 and stop")
args = parser.parse_args()

AUDIO = os.path.abspath(args.audio)
CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "songatlas", "eval",
                     "similar.sqlite")
os.makedirs(os.path.dirname(CACHE), exist_ok=True)
FEATURES = (["--features", args.features] if args.features else []) \
    + (["--embedding", args.embedding] if args.embedding else [])

labels = {}
if os.path.exists(os.path.join(AUDIO, "labels.csv")):
    with open(os.path.join(AUDIO, "labels.csv")) as handle:
        for row in csv.DictReader(handle):
            labels[os.path.join(AUDIO, row["path"])] = row["label"]
else:
    # A set still being built: the label is also the part of the file name before "--".
    for name in os.listdir(AUDIO):
        if "--" in name and name.endswith(".flac"):
            labels[os.path.join(AUDIO, name)] = name.split("--")[0]
clips = sorted(path for path in labels if os.path.exists(path))
LIBRARY = AUDIO
if args.half:
    # The halves of scripts/eval-playlists. The library is a folder of links to the half's clips, so `similar`
    # recommends from that half only; labels are looked up by file name, which holds the source.
    seen = {}
    chosen = []
    for clip in clips:
        n = seen.get(labels[clip], 0)
        seen[labels[clip]] = n + 1
        if (n % 2 == 0) == (args.half == "dev"):
            chosen.append(clip)
    LIBRARY = tempfile.mkdtemp(prefix=f"eval-similar-{args.half}-")
    atexit.register(shutil.rmtree, LIBRARY, ignore_errors=True)
    linked = {}
    for clip in chosen:
        link = os.path.join(LIBRARY, os.path.basename(clip))
        os.symlink(clip, link)
        linked[link] = labels[clip]
    labels = linked
    clips = sorted(linked)
by_name = {os.path.basename(path): label for path, label in labels.items()}


def label_of(path: str) -> str | None:
    return by_name.get(os.path.basename(path))


def run(command: str, *arguments: str, library: list[str]) -> dict:
    call = [args.songatlas, command, *arguments, "--format", "json", "--cache", CACHE, "-q", *FEATURES]
    for folder in library:
        call += ["--library", folder]
    done = subprocess.run(call, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"eval-similar: {' '.join(call)} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def relative(song: dict) -> float:
    """The distance over the library's typical distance, from similarity = exp(-(d/s)^2)."""
    return math.sqrt(max(-math.log(max(song["similarity"], 1e-300)), 0.0))


log(f"eval-similar: {len(clips)} clips from {len(set(labels.values()))} sources"
    + (f" ({args.half.upper()} half)" if args.half else ""))
# Warm the cache once.
run("similar", clips[0], "-n", "1", library=[LIBRARY])

# 1. precision@10 with the command's defaults.
precisions = []
features = None
for clip in clips:
    listed = run("similar", clip, "-n", "10", library=[LIBRARY])
    features = listed["features"]
    found = [song for song in listed["songs"] if song["role"] == "similar"]
    precisions.append(sum(label_of(song["path"]) == labels[clip] for song in found) / 10)
chance = statistics.mean((sum(l == labels[c] for l in labels.values()) - 1) / (len(labels) - 1) for c in clips)
print(f"similar precision@10 ({features}, {len(clips)} seeds): {statistics.mean(precisions):.3f} "
      f"(chance {chance:.3f})")
if args.precision_only:
    sys.exit(0)

# 2. Distances between all clips (relative), from one full ranking per clip.
matrix = {}
for clip in clips:
    listed = run("similar", clip, "-n", "100000", "--keep-duplicates", "--max-per-artist", "0", "--max-per-album", "0",
                 library=[LIBRARY])
    for song in listed["songs"]:
        if song["role"] == "similar":
            matrix[(clip, os.path.abspath(song["path"]))] = relative(song)


def distance(a: str, b: str) -> float:
    return 0.0 if a == b else matrix[(a, b)]


within = sorted((distance(a, b), a, b) for a in clips for b in clips if a < b and labels[a] == labels[b])
print("closest different pieces of one source (relative distance): "
      + ", ".join(f"{d:.3f} {os.path.basename(a)} / {os.path.basename(b)}" for d, a, b in within[:3]))
between = [distance(a, b) for a in clips for b in clips if a < b and labels[a] != labels[b]]
print(f"pairs of one source: median {statistics.median(d for d, _, _ in within):.3f}; "
      f"of different sources: median {statistics.median(between):.3f}, smallest {min(between):.3f}")

# 3. Copies of 2 clips per source: how far each lies from its original.
with tempfile.TemporaryDirectory() as work:
    copies = os.path.join(work, "copies")
    os.makedirs(copies)
    originals = []
    for source in sorted(set(labels.values())):
        originals += [clip for clip in clips if labels[clip] == source][:2]
    kinds = {
        "mp3-128k": ["-c:a", "libmp3lame", "-b:a", "128k"], "vorbis-q3": ["-c:a", "libvorbis", "-q:a", "3"],
        "remaster": ["-af", "volume=-3dB,lowpass=f=16000", "-c:a", "flac"],
        "excerpt-60s": ["-ss", "30", "-t", "60", "-c:a", "flac"],
    }
    extension = {"mp3-128k": "mp3", "vorbis-q3": "ogg", "remaster": "flac", "excerpt-60s": "flac"}
    made = {}
    for clip in originals:
        for kind, options in kinds.items():
            target = os.path.join(copies, os.path.basename(clip)[:-5] + f"--{kind}.{extension[kind]}")
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", clip, *options, target], check=True)
            made[target] = (clip, kind)
    copy_distance = {kind: [] for kind in kinds}
    for clip in originals:
        listed = run("similar", clip, "-n", "100000", "--keep-duplicates", "--max-per-artist", "0",
                     "--max-per-album", "0", library=[LIBRARY, copies])
        for song in listed["songs"]:
            path = os.path.abspath(song["path"])
            if song["role"] == "similar" and made.get(path, (None,))[0] == clip:
                copy_distance[made[path][1]].append(relative(song))
        # With the default threshold, which copies does `similar` leave out?
    for kind, values in copy_distance.items():
        print(f"copy {kind:12s} vs original ({len(values)}): median {statistics.median(values):.3f}, "
              f"largest {max(values):.3f}")
    removed = {kind: 0 for kind in kinds}
    for clip in originals:
        listed = run("similar", clip, "-n", "100000", "--max-per-artist", "0", "--max-per-album", "0",
                     library=[LIBRARY, copies])
        kept = {os.path.abspath(song["path"]) for song in listed["songs"]}
        for path, (original, kind) in made.items():
            if original == clip and path not in kept:
                removed[kind] += 1
    print("copies left out by the default near-duplicate threshold: "
          + ", ".join(f"{kind} {removed[kind]}/{len(originals)}" for kind in kinds))

# 4. path between random pairs of clips of different sources.
generator = random.Random(0)
rows = []
for _ in range(args.pairs):
    a, b = generator.sample(clips, 2)
    while labels[a] == labels[b]:
        a, b = generator.sample(clips, 2)
    path = run("path", a, b, "-n", "10", library=[LIBRARY])
    steps = [song["similarity"] for song in path["songs"][1:]]
    ours = [relative(song) for song in path["songs"][1:]]
    others = [clip for clip in clips if clip not in (a, b)]
    order = [a] + generator.sample(others, 8) + [b]
    randomized = [distance(order[i], order[i + 1]) for i in range(9)]
    straight = distance(a, b) / 9
    rows.append((statistics.mean(ours), max(ours), statistics.mean(randomized), max(randomized), straight,
                 len(path["steps"]["gapsAfter"])))
    del steps
mean = lambda index: statistics.mean(row[index] for row in rows)  # noqa: E731
print(f"path -n 10 over {args.pairs} random pairs (relative distances): "
      f"mean step {mean(0):.3f}, largest {mean(1):.3f}; random order: mean {mean(2):.3f}, largest {mean(3):.3f}; "
      f"straight line (even step) {mean(4):.3f}; paths with a gap: {sum(row[5] > 0 for row in rows)}")
