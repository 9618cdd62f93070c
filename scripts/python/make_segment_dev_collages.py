#!/usr/bin/env python3
"""Builds the segmentation development collages from segment-dev-audio/tracks/.

    scripts/py make_segment_dev_collages [--tracks DIR] [--out DIR] [--seed 20261129]

(Normally run by scripts/make-segment-dev-audio, which extracts the tracks.)

The development set is where the segmenter's parameters are chosen; the older
collage-audio/ set (scripts/make-collage-audio) is then a check it never saw.
It is harder than collage-audio/ in the ways real songs are:

  * Length: every collage lasts 180-480 s (3-8 minutes) and has 4-10 sections
    of 15-60 s (seeded, on a 10 ms grid), in a form from PATTERNS; no letter
    follows itself, so every boundary is a change.
  * Repeats with variation: a repeated letter takes each occurrence from a
    DIFFERENT, non-overlapping part of the same track (the track is long
    enough for all its occurrences), so a repeat is the same piece, not the
    same audio. Different letters come from different tracks.
  * Transitions: each boundary is, with probability 1/2, a 2-4 s equal-power
    crossfade centred on the boundary time (both sides play through it),
    otherwise a hard cut with a 5 ms raised-cosine ramp each side.
  * Half of the collages (odd numbers) take every track from ONE source (the
    hard half; the sources with enough tracks take turns), the others take
    every letter from a different source.
  * No 1 s window of an excerpt is near-silent (below -45 dBFS); levels are
    left as they are.

Output (44.1 kHz stereo 16-bit FLAC):
  OUT/collage-NN.flac, OUT/collage-NN.lab ("start<TAB>end<TAB>label", seconds,
  contiguous from 0 to the end; a crossfade's boundary is its middle), and
  OUT/SOURCES.txt (per section: track, offset in the track, length, and the
  transition into it). Deterministic for a given --seed and set of tracks.
"""
import glob
import os

import numpy as np
import soundfile as sf

from songatlas_py import REPO_ROOT, argument_parser, log

SR = 44100
STEP = 441                      # 10 ms grid
RAMP = int(round(0.005 * SR))   # anti-click ramp of a hard cut
MIN_SEC, MAX_SEC = 15.0, 60.0
MIN_TOTAL, MAX_TOTAL = 180.0, 480.0
FADE_MIN, FADE_MAX = 2.0, 4.0
SILENCE_DBFS = -45.0
N_COLLAGES = 24

PATTERNS = [
    "ABAB", "ABCBA", "ABACAB", "ABCABC", "ABACADA", "ABCBDBA",
    "ABCDBCA", "ABACABCA", "ABCADBCA", "ABCBCDCBA", "ABABCBCDA", "ABCDABCDEA",
]


class Track:
    def __init__(self, path):
        self.name = os.path.basename(path)
        self.source = self.name.split("--")[0]
        audio, sr = sf.read(path, dtype="int16", always_2d=True)
        if sr != SR or audio.shape[1] != 2:
            raise SystemExit(f"{self.name}: expected 44.1 kHz stereo, got {sr} Hz x {audio.shape[1]}")
        self.audio = audio
        self.n = audio.shape[0]
        nb = self.n // STEP
        mono = audio[: nb * STEP].astype(np.float32).mean(axis=1) / 32768.0
        self.block_ms = (mono.reshape(nb, STEP).astype(np.float64) ** 2).mean(axis=1)

    def loud_enough(self, start, length):
        b0, nb = start // STEP, length // STEP
        blocks = self.block_ms[b0: b0 + nb]
        if len(blocks) < nb or nb < 100:
            return False
        c = np.concatenate([[0.0], np.cumsum(blocks)])
        win = (c[100:] - c[:-100]) / 100
        return bool(np.all(10 * np.log10(win + 1e-20) > SILENCE_DBFS))


def place(rng, track, lengths):
    """Non-overlapping start samples for the occurrences (in random order along the track), or None."""
    total = sum(lengths)
    if total > track.n:
        return None
    for _ in range(300):
        slack = (track.n - total) // STEP
        # Random gaps: split the slack into len+1 parts.
        cuts = np.sort(rng.integers(0, slack + 1, size=len(lengths)))
        order = list(rng.permutation(len(lengths)))
        starts = [0] * len(lengths)
        position = 0
        previous_cut = 0
        for rank, index in enumerate(order):
            position += (cuts[rank] - previous_cut) * STEP
            previous_cut = cuts[rank]
            starts[index] = position
            position += lengths[index]
        if all(track.loud_enough(s, ln) for s, ln in zip(starts, lengths)):
            return starts
    return None


def fade_curves(length):
    t = (np.arange(length) + 0.5) / length
    return np.cos(0.5 * np.pi * t), np.sin(0.5 * np.pi * t)   # equal power: out, in


def build(args):
    rng = np.random.default_rng(args.seed)
    paths = sorted(glob.glob(os.path.join(args.tracks, "*.flac")))
    if not paths:
        raise SystemExit(f"make_segment_dev_collages: no tracks in {args.tracks}")
    log(f"make_segment_dev_collages: loading {len(paths)} tracks")
    tracks = {os.path.basename(p): Track(p) for p in paths}
    by_source = {}
    for name, track in tracks.items():
        by_source.setdefault(track.source, []).append(name)
    sources = sorted(by_source)
    one_source_order = list(rng.permutation(sources))
    os.makedirs(args.out, exist_ok=True)
    lines = [
        "# SongAtlas segmentation development collages, written by scripts/python/make_segment_dev_collages.py",
        f"# seed {args.seed}; tracks from {os.path.relpath(args.tracks, args.out)} (see its SOURCES.txt).",
        "# Repeats take a different part of the same track; transition = into this section.",
        "# collage\tkind\tpattern\tsection\tlabel\tstart\tend\ttrack\tsource\toffset\tlength\ttransition",
    ]
    one_index = 0
    for i in range(N_COLLAGES):
        name = f"collage-{i + 1:02d}"
        one_source = i % 2 == 0
        pattern = PATTERNS[(i // 2) % len(PATTERNS)]
        letters = sorted(set(pattern))
        occurrences = {L: [k for k, c in enumerate(pattern) if c == L] for L in letters}
        nsec = len(pattern)
        for attempt in range(2000):
            # Boundary kinds and fade lengths (samples); a section's audio spans
            # its nominal length plus half of each adjacent fade.
            fades = [0] * (nsec + 1)
            for b in range(1, nsec):
                if rng.random() < 0.5:
                    fades[b] = int(rng.integers(int(FADE_MIN * 50), int(FADE_MAX * 50) + 1)) * 2 * STEP
            lo, hi = int(MIN_SEC * 100), int(MAX_SEC * 100)
            lengths = [int(s) * STEP for s in rng.integers(lo, hi + 1, size=nsec)]
            total = sum(lengths) / SR
            if not MIN_TOTAL <= total <= MAX_TOTAL:
                continue
            spans = [lengths[k] + fades[k] // 2 + fades[k + 1] // 2 for k in range(nsec)]
            if one_source:
                fitting = [s for s in one_source_order if len(by_source[s]) >= len(letters)]
                source = fitting[one_index % len(fitting)]
                pools = {L: list(rng.permutation(by_source[source])) for L in letters}
            else:
                picked = list(rng.permutation(sources))[: len(letters)]
                if len(picked) < len(letters):
                    picked = [sources[j % len(sources)] for j in range(len(letters))]
                pools = {L: list(rng.permutation(by_source[picked[li]])) for li, L in enumerate(letters)}
            chosen, starts, ok = {}, {}, True
            for L in letters:
                need = [spans[k] for k in occurrences[L]]
                for candidate in pools[L]:
                    if candidate in chosen.values():
                        continue
                    placed = place(rng, tracks[candidate], need)
                    if placed is not None:
                        chosen[L], starts[L] = candidate, placed
                        break
                else:
                    ok = False
                    break
            if ok:
                break
        else:
            raise SystemExit(f"{name}: could not place {pattern}")
        if one_source:
            one_index += 1

        total_samples = sum(lengths)
        mix = np.zeros((total_samples + fades[0] + fades[-1], 2))
        boundaries = np.concatenate([[0], np.cumsum(lengths)])
        used = {L: 0 for L in letters}
        lab = []
        for k, L in enumerate(pattern):
            track = tracks[chosen[L]]
            offset = starts[L][used[L]]
            used[L] += 1
            chunk = track.audio[offset: offset + spans[k]].astype(np.float64) / 32768.0
            fade_in, fade_out = fades[k], fades[k + 1]
            if k > 0:
                if fade_in:
                    chunk[:fade_in] *= fade_curves(fade_in)[1][:, None]
                else:
                    ramp = 0.5 - 0.5 * np.cos(np.pi * (np.arange(RAMP) + 0.5) / RAMP)
                    chunk[:RAMP] *= ramp[:, None]
            if k < nsec - 1:
                if fade_out:
                    chunk[-fade_out:] *= fade_curves(fade_out)[0][:, None]
                else:
                    ramp = 0.5 + 0.5 * np.cos(np.pi * (np.arange(RAMP) + 0.5) / RAMP)
                    chunk[-RAMP:] *= ramp[:, None]
            first = boundaries[k] - fade_in // 2
            mix[first: first + len(chunk)] += chunk
            lab.append((boundaries[k], boundaries[k + 1], L))
            transition = "start" if k == 0 else (f"crossfade {fade_in / SR:.2f} s" if fade_in else "cut")
            lines.append("\t".join([
                name, "one-source" if one_source else "multi-source", pattern, str(k + 1), L,
                f"{boundaries[k] / SR:.3f}", f"{boundaries[k + 1] / SR:.3f}", chosen[L], track.source,
                f"{(offset + fade_in // 2) / SR:.3f}", f"{lengths[k] / SR:.3f}", transition]))
        audio = np.clip(np.round(mix[:total_samples] * 32767), -32768, 32767).astype(np.int16)
        sf.write(os.path.join(args.out, name + ".flac"), audio, SR, subtype="PCM_16", format="FLAC")
        with open(os.path.join(args.out, name + ".lab"), "w") as fh:
            for a, b, L in lab:
                fh.write(f"{a / SR:.3f}\t{b / SR:.3f}\t{L}\n")
        crossfades = sum(1 for f in fades if f)
        kind = f"one-source ({tracks[chosen['A']].source})" if one_source else \
            "multi-source (" + ",".join(tracks[chosen[L]].source for L in letters) + ")"
        log(f"  {name}: {pattern:10s} {total_samples / SR:6.1f} s  {crossfades} crossfades  {kind}")
    with open(os.path.join(args.out, "SOURCES.txt"), "w") as fh:
        fh.write("\n".join(lines) + "\n")


def main():
    ap = argument_parser(__doc__)
    ap.add_argument("--tracks", default=str(REPO_ROOT / "segment-dev-audio" / "tracks"))
    ap.add_argument("--out", default=str(REPO_ROOT / "segment-dev-audio"))
    ap.add_argument("--seed", type=int, default=20261129)
    build(ap.parse_args())


if __name__ == "__main__":
    main()
