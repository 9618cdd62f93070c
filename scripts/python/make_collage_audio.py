#!/usr/bin/env python3
"""Builds the structure-segmentation evaluation set collage-audio/ from eval-audio/.

    scripts/py make_collage_audio [--eval-dir eval-audio] [--out collage-audio] [--seed 20240611]

(Normally run through scripts/make-collage-audio, which builds eval-audio/
first when it is missing.)

Each of the 24 collages is a concatenation of excerpts of the real recordings
in eval-audio/ with HARD cuts: no crossfade, only a 5 ms raised-cosine ramp at
each side of every cut (fade-out of the last 5 ms of a section, fade-in of the
first 5 ms of the next) so the cut does not click.

  * Form: one pattern per collage from PATTERNS (ABAB, ABCA, ABACA, AABA,
    ABCBA, ...); each pattern is used once among the one-source collages and
    once among the multi-source ones.
  * Every section lasts 12-30 s (seeded, in 10 ms steps, so each boundary is an
    exact sample: 441 samples at 44.1 kHz); a collage lasts 60-180 s.
  * Each letter is one excerpt region (track + start offset). A repeated letter
    replays the same region: the same track from the same offset, moved by a
    seeded jitter of at most +-2 s (so it is a musical repeat, not a
    sample-identical copy). Different letters always come from different
    tracks.
  * Odd-numbered collages (01, 03, ..., 23; 12 of them) take every section from
    different tracks of ONE source (similar timbre: the hard half); even-
    numbered collages (02, ..., 24; 12 of them) take every letter from a
    different source. The one-source collages cycle through the ten sources.
  * Excerpt regions are chosen so that no 1 s window of any occurrence is
    near-silent (RMS below -45 dBFS); levels are left as mastered (no gain).

Output (44.1 kHz stereo 16-bit FLAC):
  collage-audio/collage-NN.flac
  collage-audio/collage-NN.lab     "start<TAB>end<TAB>label", seconds with 3
                                   decimals, contiguous from 0 to the end
  collage-audio/SOURCES.txt        per section: track, offset and length used
The set is deterministic for a given --seed and eval-audio/ contents.
"""
import csv
import os

import numpy as np
import soundfile as sf

from songatlas_py import REPO_ROOT, argument_parser, log

SR = 44100
STEP = 441                    # 10 ms: every duration / offset is a multiple
RAMP = int(round(0.005 * SR))  # 5 ms anti-click ramp at each side of a cut
MIN_SEC, MAX_SEC = 12.0, 30.0
MIN_TOTAL, MAX_TOTAL = 60.0, 180.0
JITTER_SEC = 2.0
SILENCE_DBFS = -45.0
N_COLLAGES = 24

PATTERNS = [
    "ABAB", "ABCA", "ABACA", "AABA", "ABCBA", "ABA",
    "ABCAB", "ABBA", "ABCDA", "AABAB", "ABACBA", "ABCBCA",
]


def load_catalogue(eval_dir):
    path = os.path.join(eval_dir, "labels.csv")
    tracks = []
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            tracks.append((row["path"], row["label"]))
    tracks.sort()
    return tracks


class Track:
    def __init__(self, eval_dir, rel, source):
        self.rel = rel
        self.source = source
        audio, sr = sf.read(os.path.join(eval_dir, rel), dtype="int16", always_2d=True)
        if sr != SR or audio.shape[1] != 2:
            raise SystemExit(f"{rel}: expected 44.1 kHz stereo, got {sr} Hz x {audio.shape[1]}")
        self.audio = audio
        self.n = audio.shape[0]
        # RMS (dBFS, mono mix) of consecutive 10 ms blocks, for the silence check.
        nb = self.n // STEP
        mono = audio[: nb * STEP].astype(np.float64).mean(axis=1) / 32768.0
        self.block_ms = (mono.reshape(nb, STEP) ** 2).mean(axis=1)

    def loud_enough(self, start, length):
        """True if every 1 s window of [start, start+length) is above the threshold."""
        b0, nb = start // STEP, length // STEP
        blocks = self.block_ms[b0: b0 + nb]
        if len(blocks) < nb:
            return False
        c = np.concatenate([[0.0], np.cumsum(blocks)])
        w = 100  # 100 blocks = 1 s
        win = (c[w:] - c[:-w]) / w
        return bool(np.all(10 * np.log10(win + 1e-20) > SILENCE_DBFS))


def section_lengths(rng, n):
    """n section lengths in samples (12-30 s, 10 ms grid) with total 60-180 s."""
    lo, hi = int(MIN_SEC * 100), int(MAX_SEC * 100)
    for _ in range(10000):
        steps = rng.integers(lo, hi + 1, size=n)
        total = steps.sum() / 100.0
        if MIN_TOTAL <= total <= MAX_TOTAL:
            return [int(s) * STEP for s in steps]
    raise RuntimeError("cannot satisfy duration constraints")


def place_letter(rng, track, lengths):
    """Pick a start offset (and per-occurrence jitter) for one letter on a track.

    Returns a list of per-occurrence start samples (first occurrence exactly at
    the region offset, repeats within +-JITTER_SEC of it), or None.
    """
    if track.n < max(lengths):
        return None
    max_steps = (track.n - max(lengths)) // STEP
    for _ in range(200):
        base = int(rng.integers(0, max_steps + 1)) * STEP
        starts = [base]
        for ln in lengths[1:]:
            j = int(rng.integers(-int(JITTER_SEC * 100), int(JITTER_SEC * 100) + 1)) * STEP
            s = min(max(base + j, 0), track.n - ln)
            s -= s % STEP
            starts.append(s)
        if all(s + ln <= track.n and track.loud_enough(s, ln) for s, ln in zip(starts, lengths)):
            return starts
    return None


def ramped(chunk, fade_in, fade_out):
    x = chunk.astype(np.float64)
    ramp = 0.5 - 0.5 * np.cos(np.pi * (np.arange(RAMP) + 0.5) / RAMP)
    if fade_in:
        x[:RAMP] *= ramp[:, None]
    if fade_out:
        x[-RAMP:] *= ramp[::-1][:, None]
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def build(args):
    rng = np.random.default_rng(args.seed)
    cat = load_catalogue(args.eval_dir)
    log(f"make_collage_audio: loading {len(cat)} clips from {args.eval_dir}")
    tracks = {rel: Track(args.eval_dir, rel, src) for rel, src in cat}
    by_source = {}
    for rel, src in cat:
        by_source.setdefault(src, []).append(rel)
    sources = sorted(by_source)
    os.makedirs(args.out, exist_ok=True)

    src_order = list(rng.permutation(sources))
    sources_lines = [
        "# SongAtlas structure-segmentation collages, written by scripts/make_collage_audio.py",
        f"# seed {args.seed}; excerpts of eval-audio/ (see eval-audio/SOURCES.txt for packages/licenses).",
        "# Hard cuts with a 5 ms raised-cosine ramp each side; a repeated letter replays the same",
        "# track from its region offset +-2 s. offset = start inside the eval-audio clip (s).",
        "# collage\tkind\tpattern\tsection\tlabel\tstart\tend\ttrack\tsource\toffset\tlength",
    ]
    one_idx = 0
    for i in range(N_COLLAGES):
        name = f"collage-{i + 1:02d}"
        one_source = (i % 2 == 0)
        pattern = PATTERNS[(i // 2) % len(PATTERNS)]
        letters = sorted(set(pattern))
        for attempt in range(100):
            lengths = section_lengths(rng, len(pattern))
            occ = {L: [k for k, c in enumerate(pattern) if c == L] for L in letters}
            if one_source:
                src = src_order[one_idx % len(src_order)]
                pool = list(rng.permutation(by_source[src]))
            else:
                srcs = list(rng.permutation(sources))[: len(letters)]
            chosen, starts = {}, {}
            ok = True
            for li, L in enumerate(letters):
                lens = [lengths[k] for k in occ[L]]
                cands = pool if one_source else list(rng.permutation(by_source[srcs[li]]))
                placed = None
                for rel in cands:
                    if rel in chosen.values():
                        continue
                    placed = place_letter(rng, tracks[rel], lens)
                    if placed is not None:
                        chosen[L] = rel
                        starts[L] = placed
                        break
                if placed is None:
                    ok = False
                    break
            if ok:
                break
        else:
            raise SystemExit(f"{name}: could not place {pattern}")
        if one_source:
            one_idx += 1

        pieces, lab, t0 = [], [], 0
        occ_count = {L: 0 for L in letters}
        for k, L in enumerate(pattern):
            ln = lengths[k]
            tr = tracks[chosen[L]]
            s = starts[L][occ_count[L]]
            occ_count[L] += 1
            chunk = tr.audio[s: s + ln]
            pieces.append(ramped(chunk, fade_in=(k > 0), fade_out=(k < len(pattern) - 1)))
            lab.append((t0, t0 + ln, L))
            sources_lines.append("\t".join([
                name, "one-source" if one_source else "multi-source", pattern, str(k + 1), L,
                f"{t0 / SR:.3f}", f"{(t0 + ln) / SR:.3f}", chosen[L], tr.source,
                f"{s / SR:.3f}", f"{ln / SR:.3f}"]))
            t0 += ln
        audio = np.concatenate(pieces, axis=0)
        sf.write(os.path.join(args.out, name + ".flac"), audio, SR, subtype="PCM_16", format="FLAC")
        with open(os.path.join(args.out, name + ".lab"), "w") as fh:
            for a, b, L in lab:
                fh.write(f"{a / SR:.3f}\t{b / SR:.3f}\t{L}\n")
        kind = f"one-source ({tracks[chosen['A']].source})" if one_source else \
            "multi-source (" + ",".join(tracks[chosen[L]].source for L in letters) + ")"
        log(f"  {name}: {pattern:7s} {t0 / SR:6.1f} s  {kind}")

    with open(os.path.join(args.out, "SOURCES.txt"), "w") as fh:
        fh.write("\n".join(sources_lines) + "\n")


def main():
    ap = argument_parser(__doc__)
    ap.add_argument("--eval-dir", default=str(REPO_ROOT / "eval-audio"))
    ap.add_argument("--out", default=str(REPO_ROOT / "collage-audio"))
    ap.add_argument("--seed", type=int, default=20240611)
    build(ap.parse_args())


if __name__ == "__main__":
    main()
