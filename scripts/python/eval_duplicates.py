"""Scores duplicate-group documents against the truth of scripts/make-duplicates-audio, side by side.

For each document (the JSON of `songatlas duplicates`, or of fpcalc_dupes.py):
- recall: copies found, i.e. files of a recording (other than the one kept) that sit in
  one group with the recording's other files, over all such copies;
- false groups: groups that join files of different recordings (the aim is 0), and the
  precision of the pairs grouped;
- kept copy: groups whose kept file is a lossless one of the recording (the original or
  its exact copy), over the recordings found.

Usage: python3 eval_duplicates.py TRUTH.csv NAME=DOCUMENT.json [NAME=SECONDS] ...
"""
import csv
import itertools
import json
import os
import sys


def main():
    truth_path, documents = sys.argv[1], sys.argv[2:]
    truth = {}
    with open(truth_path) as handle:
        for row in csv.DictReader(handle):
            truth[row["path"]] = row["group"]
    recordings = {}
    for name, group in truth.items():
        recordings.setdefault(group, []).append(name)
    copied = {group: names for group, names in recordings.items() if len(names) > 1}
    total_copies = sum(len(names) - 1 for names in copied.values())
    print(f"{len(truth)} files, {len(copied)} recordings held {sum(len(n) for n in copied.values())} times "
          f"({total_copies} copies to find), {len(recordings) - len(copied)} distractors")
    print()
    print(f"{'matcher':<22}{'groups':>7}{'copies found':>15}{'recall':>8}{'false groups':>14}"
          f"{'pair precision':>16}{'kept right':>12}{'time s':>8}")
    for spec in documents:
        name, path_and_time = spec.split("=", 1)
        path, _, seconds = path_and_time.partition(":")
        with open(path) as handle:
            document = json.load(handle)
        groups = [[os.path.basename(group["keep"])] + [os.path.basename(c) for c in group["copies"]]
                  for group in document["groups"]]
        false_groups = sum(1 for members in groups if len({truth.get(m, m) for m in members}) > 1)
        pairs = [pair for members in groups for pair in itertools.combinations(members, 2)]
        right_pairs = sum(1 for a, b in pairs if truth.get(a, a) == truth.get(b, b))
        found = 0
        for group, names in copied.items():
            # The largest share of this recording's files that one group holds.
            best = max((sum(1 for m in members if m in names) for members in groups), default=0)
            found += max(best - 1, 0)
        kept_right = 0
        recordings_found = 0
        for members in groups:
            recording = truth.get(members[0])
            if recording in copied and sum(1 for m in members if truth.get(m) == recording) > 1:
                recordings_found += 1
                if members[0].endswith("--original.flac") or members[0].endswith("--copy.flac"):
                    kept_right += 1
        precision = right_pairs / len(pairs) if pairs else 1.0
        print(f"{name:<22}{len(groups):>7}{found:>9}/{total_copies:<5}{found / total_copies:>8.3f}{false_groups:>14}"
              f"{precision:>16.3f}{kept_right:>7}/{recordings_found:<4}{seconds or '-':>8}")


if __name__ == "__main__":
    main()
