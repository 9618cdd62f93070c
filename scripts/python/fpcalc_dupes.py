"""Duplicate groups by Chromaprint's own fpcalc plus a simple matcher: the peer of `songatlas duplicates`.

For every audio file under the folders given, `fpcalc -raw -length 120` prints the raw
fingerprint (Chromaprint's default algorithm, the first 120 s: fpcalc's default, as SongAtlas fingerprints).
Pairs that share at least 3 items (leaving out items held by more than 32 files) are
aligned by the offset most of their equal items vote for (within 240 items, about 30 s,
and its neighbours), and an item matches when at most 8 of its 32 bits differ there. Two
files are one recording when at least half the shorter file's items match and their
lengths differ by at most 10 % + 3 s. Groups are the connected pairs. The copy kept: a
lossless file (by extension) first, then the higher bit rate (size over length), then the
longer, then path order. No feature distance: files fpcalc cannot fingerprint stay alone.

Writes the JSON `songatlas duplicates` writes:
{"groups":[{"keep":..., "copies":[...], "evidence":"fingerprint", "score":...}], "files": N}

Usage: python3 fpcalc_dupes.py FOLDER... [-o FILE] [--jobs N]
"""
import argparse
import collections
import concurrent.futures
import json
import os
import subprocess
import sys

AUDIO = {".flac", ".wav", ".mp3", ".m4a", ".opus", ".ogg", ".aiff", ".aif", ".wv", ".wma", ".mka"}
LOSSLESS = {".flac", ".wav", ".aiff", ".aif", ".wv"}
MAX_BIT_ERRORS = 8
MAX_OFFSET = 240
THRESHOLD = 0.5


def fingerprint(path):
    result = subprocess.run(["fpcalc", "-raw", "-length", "120", "-json", path], capture_output=True, text=True)
    # fpcalc 1.5.1 with FFmpeg 5 ends many files with "Error decoding audio frame (End of file)" and
    # status 3, after printing the whole fingerprint: what it printed counts.
    try:
        data = json.loads(result.stdout)
    except ValueError:
        return path, None, None
    return path, data["duration"], [value & 0xFFFFFFFF for value in data["fingerprint"]]


def score(first, second, offset):
    shorter = min(len(first), len(second))
    start, end = max(0, offset), min(len(second), len(first) + offset)
    matched = sum(1 for index in range(start, end) if bin(first[index - offset] ^ second[index]).count("1") <= MAX_BIT_ERRORS)
    return matched / shorter if shorter else 0.0


def best(first, second):
    positions = collections.defaultdict(list)
    for index, value in enumerate(first):
        positions[value].append(index)
    votes = collections.Counter()
    for index, value in enumerate(second):
        found = positions.get(value, [])
        if len(found) > 8:
            continue
        for position in found:
            if abs(index - position) <= MAX_OFFSET:
                votes[index - position] += 1
    top = sorted(votes.items(), key=lambda item: (-item[1], abs(item[0])))[:3]
    tried, result = set(), 0.0
    for offset, _ in top:
        for candidate in (offset - 1, offset, offset + 1):
            if candidate not in tried:
                tried.add(candidate)
                result = max(result, score(first, second, candidate))
    return result


def kept_key(path, duration):
    size = os.path.getsize(path)
    ext = os.path.splitext(path)[1].lower()
    rate = size * 8 / duration if duration else 0
    return (0 if ext in LOSSLESS else 1, -rate, -duration, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("-o", "--output")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    arguments = parser.parse_args()
    paths = sorted(os.path.abspath(os.path.join(root, name)) for folder in arguments.folders
                   for root, _, names in os.walk(folder) for name in names
                   if os.path.splitext(name)[1].lower() in AUDIO and not name.startswith("."))
    with concurrent.futures.ThreadPoolExecutor(arguments.jobs) as pool:
        prints = [item for item in pool.map(fingerprint, paths) if item[2]]
    owners = collections.defaultdict(list)
    for index, (_, _, values) in enumerate(prints):
        for value in set(values):
            owners[value].append(index)
    shared = collections.Counter()
    for holders in owners.values():
        if 1 < len(holders) <= 32:
            for a in range(len(holders)):
                for b in range(a + 1, len(holders)):
                    shared[(holders[a], holders[b])] += 1
    parent = list(range(len(prints)))

    def root(index):
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    links = []
    for (a, b), count in shared.items():
        if count < 3:
            continue
        (_, da, fa), (_, db, fb) = prints[a], prints[b]
        if abs(da - db) > 0.1 * max(da, db) + 3:
            continue
        value = best(fa, fb)
        if value >= THRESHOLD:
            links.append((a, b, value))
            parent[root(a)] = root(b)
    members = collections.defaultdict(list)
    for index in range(len(prints)):
        members[root(index)].append(index)
    groups = []
    for group_root, indices in members.items():
        if len(indices) < 2:
            continue
        ordered = sorted(indices, key=lambda i: kept_key(prints[i][0], prints[i][1]))
        weakest = min(value for a, b, value in links if root(a) == group_root)
        groups.append({"keep": prints[ordered[0]][0], "copies": sorted(prints[i][0] for i in ordered[1:]),
                       "evidence": "fingerprint", "score": round(weakest, 3)})
    groups.sort(key=lambda group: group["keep"])
    text = json.dumps({"groups": groups, "files": len(paths)}, indent=2, sort_keys=True) + "\n"
    if arguments.output:
        with open(arguments.output, "w") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
