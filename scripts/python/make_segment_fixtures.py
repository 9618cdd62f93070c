"""Write mir_eval reference values for SongAtlas's segmentation tests.

Run through the pinned environment:  scripts/make-segment-fixtures
(or scripts/py make_segment_fixtures). Takes no arguments.

Output: Tests/SegmentationTests/Fixtures/mir_eval-reference.json
  cases  reference and estimated labelled segmentations ([start, end, label]) with
         mir_eval.segment.detection (windows 0.5 s and 3 s, untrimmed and trimmed),
         mir_eval.segment.pairwise and mir_eval.segment.nce

Every case is preprocessed as mir_eval.segment.evaluate does: the reference is
adjusted to start at 0, the estimate to span [0, reference end] (see PREPROCESSING).
The JSON holds the raw segmentations; all metrics are computed on the adjusted ones.

Times are rounded to 6 decimals *before* anything is computed, so the JSON holds
exactly the float64 values mir_eval saw. Metric values are rounded to 12
significant digits. Random segmentations come from seeded numpy Generators.

Besides calling mir_eval, the script re-implements every metric from the
algorithm notes in Tests/SegmentationTests/Fixtures/README.md and checks that
the two agree to 1e-12 on every case. It also checks that the edge-case fixtures
really catch the mistakes they target: float64 instead of float32 sample times,
no rounding of boundaries to 5 decimals, a nearest-first greedy matching instead
of a maximum matching, and `<` instead of `<=` at the window edge.

Set SOURCE_DATE_EPOCH to pin provenance.generatedOn; otherwise it is today's
UTC date. Everything else is deterministic.
"""

from __future__ import annotations

import json
import math
import sys
import warnings

from songatlas_py import REPO_ROOT, argument_parser, fixture_json, provenance, require_pinned, significant, write_fixture

argument_parser(__doc__).parse_args()
require_pinned("mir_eval", "numpy", "scipy")

import mir_eval  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402

MAX_BYTES = 128 * 1024

WINDOWS = (("window0.5", 0.5), ("window3", 3.0))
FRAME_SIZE = 0.1

CALLS = {
    "detection": "mir_eval.segment.detection(ref_intervals, est_intervals, window=W, beta=1.0, trim=T)",
    "pairwise": "mir_eval.segment.pairwise(ref_intervals, ref_labels, est_intervals, est_labels,"
                " frame_size=0.1, beta=1.0)",
    "nce": "mir_eval.segment.nce(ref_intervals, ref_labels, est_intervals, est_labels,"
           " frame_size=0.1, beta=1.0, marginal=False)",
}
PREPROCESSING = (
    "as in mir_eval.segment.evaluate: "
    "ref_intervals, ref_labels = mir_eval.util.adjust_intervals(reference, labels, t_min=0.0); "
    "est_intervals, est_labels = mir_eval.util.adjust_intervals(estimate, labels, t_min=0.0,"
    " t_max=ref_intervals.max()); every metric, detection included, uses these adjusted intervals"
)


# ---------------------------------------------------------------------------
# Rounding
# ---------------------------------------------------------------------------

def r12(x: float) -> float:
    return significant(x, 12)


def t6(x: float) -> float:
    v = round(float(x), 6)
    assert math.isfinite(v) and v >= 0.0
    return v + 0.0


def seg(bounds, labels) -> list:
    """[[start, end, label], ...] from n+1 boundary times and n labels."""
    assert len(bounds) == len(labels) + 1
    b = [t6(t) for t in bounds]
    assert all(x < y for x, y in zip(b, b[1:])), b
    return [[s, e, str(lab)] for s, e, lab in zip(b, b[1:], labels)]


# ---------------------------------------------------------------------------
# mir_eval
# ---------------------------------------------------------------------------

def split(segmentation):
    return (np.array([[s, e] for s, e, _ in segmentation], dtype=np.float64),
            [lab for _, _, lab in segmentation])


def adjusted(reference, estimate):
    ref_i, ref_l = split(reference)
    est_i, est_l = split(estimate)
    # adjust_intervals inserts into / appends to the label list it is given: pass copies.
    ref_i, ref_l = mir_eval.util.adjust_intervals(ref_i, list(ref_l), t_min=0.0)
    est_i, est_l = mir_eval.util.adjust_intervals(est_i, list(est_l), t_min=0.0, t_max=ref_i.max())
    return ref_i, ref_l, est_i, est_l


def mir_eval_scores(reference, estimate) -> dict:
    ref_i, ref_l, est_i, est_l = adjusted(reference, estimate)
    out = {"detection": {}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy 0/0 or other surprises
        # trim=True on a one-section segmentation (2 boundaries) warns and returns (0, 0, 0): expected.
        warnings.filterwarnings("ignore", message="(Estimated|Reference) intervals are empty",
                                category=UserWarning)
        for key, w in WINDOWS:
            out["detection"][key] = {
                "untrimmed": mir_eval.segment.detection(ref_i, est_i, window=w, beta=1.0, trim=False),
                "trimmed": mir_eval.segment.detection(ref_i, est_i, window=w, beta=1.0, trim=True),
            }
        out["pairwise"] = mir_eval.segment.pairwise(ref_i, ref_l, est_i, est_l, frame_size=FRAME_SIZE, beta=1.0)
        out["nce"] = mir_eval.segment.nce(ref_i, ref_l, est_i, est_l, frame_size=FRAME_SIZE, beta=1.0,
                                          marginal=False)
    return out


# ---------------------------------------------------------------------------
# Independent implementation of the README's algorithm notes
# ---------------------------------------------------------------------------

def spec_adjust(segmentation, t_min, t_max):
    """mir_eval.util.adjust_intervals for contiguous, sorted input."""
    ivs = [[s, e, lab] for s, e, lab in segmentation]
    if t_min is not None:
        k = next((i for i, (_, e, _) in enumerate(ivs) if e >= t_min), None)
        if k is not None:
            ivs = ivs[k:]
        ivs = [[max(t_min, s), max(t_min, e), lab] for s, e, lab in ivs]
        lo = min(min(s, e) for s, e, _ in ivs)
        if lo > t_min:
            ivs.insert(0, [t_min, lo, "__T_MIN"])
    if t_max is not None:
        k = next((i for i, (s, _, _) in enumerate(ivs) if s > t_max), None)
        if k is not None:
            ivs = ivs[:k]
        ivs = [[min(t_max, s), min(t_max, e), lab] for s, e, lab in ivs]
        hi = max(max(s, e) for s, e, _ in ivs)
        if hi < t_max:
            ivs.append([hi, t_max, "__T_MAX"])
    assert all(e > s for s, e, _ in ivs), "adjust_intervals left a zero-length interval"
    return ivs


def spec_boundaries(ivs, round_q5=True):
    """Sorted unique starts and ends, each rounded half-to-even at 5 decimals."""
    times = [t for s, e, _ in ivs for t in (s, e)]
    if round_q5:
        times = [float(np.rint(t * 1e5) / 1e5) for t in times]
    return sorted(set(times))


def spec_match_count(ref, est, w, strict=False):
    """Maximum matching size; hit iff (e - w) <= r <= (e + w), both sides in float64."""
    def hit(r, e):
        return (e - w < r < e + w) if strict else (e - w <= r <= e + w)
    i = j = n = 0
    while i < len(ref) and j < len(est):
        if hit(ref[i], est[j]):
            n, i, j = n + 1, i + 1, j + 1
        elif ref[i] < est[j]:
            i += 1
        else:
            j += 1
    return n


def greedy_nearest_count(ref, est, w):
    """A wrong matching (for the self-check): globally closest pairs first."""
    pairs = sorted((abs(r - e), i, j) for i, r in enumerate(ref) for j, e in enumerate(est) if abs(r - e) <= w)
    used_r, used_e = set(), set()
    for _, i, j in pairs:
        if i not in used_r and j not in used_e:
            used_r.add(i)
            used_e.add(j)
    return len(used_r)


def f1(p, r):
    return 0.0 if p == 0 and r == 0 else 2.0 * p * r / (p + r)


def spec_detection(ref_ivs, est_ivs, w, trim, round_q5=True, matcher=spec_match_count):
    rb = spec_boundaries(ref_ivs, round_q5)
    eb = spec_boundaries(est_ivs, round_q5)
    if trim:
        rb, eb = rb[1:-1], eb[1:-1]
    if not rb or not eb:
        return 0.0, 0.0, 0.0
    m = matcher(rb, eb, w)
    p, r = m / len(eb), m / len(rb)
    return p, r, f1(p, r)


def spec_samples(ivs, frame, float32_times=True):
    """Frame labels: lower-cased, 'none' where no interval covers a sample."""
    t_max = max(max(s, e) for s, e, _ in ivs)
    n = math.floor(t_max / frame)
    if float32_times:
        times = [float(np.float32(i) * np.float32(frame)) for i in range(n)]
    else:
        times = [i * frame for i in range(n)]
    labels = ["none"] * n
    for s, e, lab in ivs:  # in order: a later interval overwrites a shared boundary sample
        for k, t in enumerate(times):
            if s <= t <= e:
                labels[k] = str(lab).lower()
    return labels


def contingency(y_ref, y_est):
    ref_names, est_names = sorted(set(y_ref)), sorted(set(y_est))
    c = [[0] * len(est_names) for _ in ref_names]
    ri = {k: i for i, k in enumerate(ref_names)}
    ei = {k: j for j, k in enumerate(est_names)}
    for a, b in zip(y_ref, y_est):
        c[ri[a]][ei[b]] += 1
    return c


def spec_pairwise(y_ref, y_est):
    c = contingency(y_ref, y_est)
    pairs = lambda n: n * (n - 1) // 2  # noqa: E731
    n_ref = sum(pairs(sum(row)) for row in c)
    n_est = sum(pairs(sum(col)) for col in zip(*c))
    n_both = sum(pairs(v) for row in c for v in row)
    p, r = n_both / n_est, n_both / n_ref
    return p, r, f1(p, r)


def spec_nce(y_ref, y_est):
    c = contingency(y_ref, y_est)
    n = len(y_ref)

    def cond_entropy(table):  # H(row variable | column variable) in bits
        total = 0.0
        for col in zip(*table):
            s = sum(col)
            total += (s / n) * -sum((v / s) * math.log(v / s) for v in col if v > 0) / math.log(2)
        return total

    h_ref_given_est = cond_entropy(c)
    h_est_given_ref = cond_entropy([list(col) for col in zip(*c)])
    z_ref, z_est = math.log2(len(c)), math.log2(len(c[0]))
    s_under = 1.0 - h_ref_given_est / z_ref if z_ref > 0 else 0.0
    s_over = 1.0 - h_est_given_ref / z_est if z_est > 0 else 0.0
    return s_over, s_under, f1(s_over, s_under)


def spec_scores(reference, estimate, *, float32_times=True, round_q5=True, matcher=spec_match_count):
    ref_ivs = spec_adjust(reference, 0.0, None)
    t_end = max(max(s, e) for s, e, _ in ref_ivs)
    est_ivs = spec_adjust(estimate, 0.0, t_end)
    y_ref = spec_samples(ref_ivs, FRAME_SIZE, float32_times)
    y_est = spec_samples(est_ivs, FRAME_SIZE, float32_times)
    assert len(y_ref) == len(y_est)
    return {
        "detection": {key: {"untrimmed": spec_detection(ref_ivs, est_ivs, w, False, round_q5, matcher),
                            "trimmed": spec_detection(ref_ivs, est_ivs, w, True, round_q5, matcher)}
                      for key, w in WINDOWS},
        "pairwise": spec_pairwise(y_ref, y_est),
        "nce": spec_nce(y_ref, y_est),
    }


def flat(scores) -> list:
    out = []
    for key, _ in WINDOWS:
        out += list(scores["detection"][key]["untrimmed"]) + list(scores["detection"][key]["trimmed"])
    return out + list(scores["pairwise"]) + list(scores["nce"])


def same(a, b, tol=1e-12) -> bool:
    return all(abs(x - y) <= tol * max(1.0, abs(x), abs(y)) for x, y in zip(flat(a), flat(b)))


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

# A 180 s pop song: 8 sections, 5 labels.
SONG_B = [0.0, 12.5, 40.0, 62.3, 90.0, 112.7, 135.0, 160.4, 180.0]
SONG_L = ["intro", "verse", "chorus", "verse", "chorus", "bridge", "chorus", "outro"]
SONG = seg(SONG_B, SONG_L)


def shifted(bounds, amount):
    """Interior boundaries moved alternately +amount, -amount."""
    out = list(bounds)
    for k in range(1, len(out) - 1):
        out[k] += amount if k % 2 else -amount
    return out


def random_bounds(rng, n_sections, length=180.0, min_gap=4.0):
    while True:
        inner = np.sort(rng.uniform(0.0, length, n_sections - 1))
        b = [0.0] + [t6(t) for t in inner] + [length]
        if min(y - x for x, y in zip(b, b[1:])) >= min_gap:
            return b


def random_labels(rng, n_sections, n_labels, names):
    while True:
        idx = rng.integers(0, n_labels, n_sections)
        if len(set(idx.tolist())) == n_labels:
            return [names[i] for i in idx]


def build_cases() -> list:
    rng = np.random.default_rng(20240815)
    cases = []

    def add(name, reference, estimate, description):
        cases.append({"name": name, "reference": reference, "estimate": estimate, "_doc": description})

    add("identical", SONG, SONG, "estimate == reference (180 s, 8 sections, 5 labels)")

    add("shifted-0.3s", SONG, seg(shifted(SONG_B, 0.3), SONG_L),
        "every interior boundary moved alternately +0.3/-0.3 s: inside the 0.5 s window")

    add("shifted-1.0s", SONG, seg(shifted(SONG_B, 1.0), SONG_L),
        "every interior boundary moved alternately +1.0/-1.0 s: outside 0.5 s, inside 3 s")

    add("window-edge-exact",
        seg([0.0, 20.0, 50.0, 80.0, 110.0, 140.0, 165.0, 180.0], ["a", "b", "a", "b", "c", "a", "d"]),
        seg([0.0, 20.5, 49.5, 80.500003, 110.500006, 143.000004, 162.0, 180.0],
            ["x", "y", "x", "y", "z", "x", "w"]),
        "distances exactly 0.5 s (20.5, 49.5) and 3 s (162, binary-exact) hit: the test is <=; "
        "80.500003 -> 80.5 and 143.000004 -> 143.0 hit only because boundaries are rounded to 5 decimals; "
        "110.500006 -> 110.50001 misses at 0.5 s")

    extra_b = sorted(SONG_B + [26.0, 76.1, 123.4, 170.0])
    add("extra-boundaries", SONG,
        seg(extra_b, ["intro", "verse", "verse2", "chorus", "verse", "verse2", "chorus", "bridge", "bridge2",
                      "chorus", "outro", "outro2"]),
        "estimate = reference boundaries + 4 extra ones (26.0, 76.1, 123.4, 170.0), each splitting a section")

    add("missing-boundaries", SONG,
        seg([0.0, 40.0, 62.3, 112.7, 135.0, 180.0], ["a", "b", "c", "d", "b"]),
        "estimate lacks the reference boundaries 12.5, 90.0 and 160.4 (merged sections)")

    add("estimate-ends-early", SONG,
        seg([0.0, 12.5, 40.0, 62.3, 90.0, 112.7, 135.0, 160.4, 171.3], SONG_L),
        "estimate ends at 171.3 < 180: adjust_intervals appends [171.3, 180, '__T_MAX']")

    add("estimate-ends-late", SONG,
        seg([0.0, 12.5, 40.0, 62.3, 90.0, 112.7, 135.0, 176.2, 183.0, 187.5],
            ["intro", "verse", "chorus", "verse", "chorus", "bridge", "chorus", "outro", "silence"]),
        "estimate ends at 187.5 > 180: [183, 187.5] is dropped, [176.2, 183] is cut to [176.2, 180]")

    add("estimate-starts-late", SONG,
        seg([1.5, 12.5, 40.0, 62.3, 90.0, 112.7, 135.0, 160.4, 180.0], SONG_L),
        "estimate starts at 1.5 > 0: adjust_intervals prepends [0, 1.5, '__T_MIN']")

    add("one-section-estimate", SONG, seg([0.0, 180.0], ["song"]),
        "estimate is a single section [0, 180]: trimmed detection has no estimated boundary; "
        "one estimated label -> S_over = 0")

    rename = {"intro": "A", "verse": "B", "chorus": "C", "bridge": "D", "outro": "E"}
    add("relabelled", SONG, seg(SONG_B, [rename[x] for x in SONG_L]),
        "same boundaries, label names replaced one-to-one (intro->A, verse->B, ...)")

    add("repeats-split", SONG,
        seg(SONG_B, ["intro", "verse1", "chorus1", "verse2", "chorus2", "bridge", "chorus3", "outro"]),
        "same boundaries; every repeated verse/chorus gets its own label")

    add("labels-differ-in-case", SONG,
        seg(SONG_B, ["Intro", "VERSE", "chorus", "Verse", "Chorus", "bridge", "CHORUS", "outro"]),
        "same boundaries; labels equal to the reference's up to case: mir_eval lower-cases labels")

    add("maximal-matching",
        seg([0.0, 20.0, 20.8, 40.45, 41.2, 60.0, 60.6, 90.0, 180.0], ["a", "b", "c", "d", "e", "f", "g", "h"]),
        seg([0.0, 20.45, 21.2, 40.0, 40.8, 60.3, 90.0, 180.0], ["p", "q", "r", "s", "t", "u", "v"]),
        "refs 20.0, 20.8 vs ests 20.45, 21.2 (and mirrored at 40): 20.45 is nearest to 20.8, but a maximum "
        "matching pairs 20.0-20.45 and 20.8-21.2; refs 60.0 and 60.6 are both within 0.5 s of the one est 60.3")

    add("frame-grid",
        seg([0.0, 0.7, 1.4, 2.3, 3.01, 3.05, 10.0, 20.05, 33.3], ["a", "b", "a", "c", "d", "b", "a", "c"]),
        seg([0.0, 1.0, 2.0, 3.3, 20.0, 33.3], ["x", "y", "x", "z", "y"]),
        "33.3 / 0.1 = 332.99999999999994 -> 332 frames; the float32 sample times of frames 7, 14, 23 lie below "
        "0.7, 1.4, 2.3, so those frames keep the previous label; [3.01, 3.05] contains no frame, so "
        "reference label 'd' does not exist for pairwise/nce")

    names = ["A", "B", "C", "D", "E"]
    lower = ["a", "b", "c", "d", "e"]
    add("random-6-vs-9-sections-3-vs-4-labels",
        seg(random_bounds(rng, 6), random_labels(rng, 6, 3, names)),
        seg(random_bounds(rng, 9), random_labels(rng, 9, 4, lower)),
        "independent seeded segmentations of 180 s: reference 6 sections / 3 labels, estimate 9 / 4")

    add("random-12-vs-5-sections-5-vs-2-labels",
        seg(random_bounds(rng, 12), random_labels(rng, 12, 5, names)),
        seg(random_bounds(rng, 5), random_labels(rng, 5, 2, lower)),
        "independent seeded segmentations of 180 s: reference 12 sections / 5 labels, estimate 5 / 2")

    ref_b = random_bounds(rng, 10, min_gap=8.0)
    ref_l = random_labels(rng, 10, 4, names)
    inner = [t + rng.normal(0.0, 0.6) for t in ref_b[1:-1]]
    inner.pop(int(rng.integers(0, len(inner))))                      # one boundary missed
    inner += list(rng.uniform(5.0, 175.0, 2))                       # two spurious ones
    est_b = [0.0] + sorted(t6(t) for t in inner) + [180.0]
    est_l = random_labels(rng, len(est_b) - 1, 4, lower)
    add("random-jittered-estimate", seg(ref_b, ref_l), seg(est_b, est_l),
        "seeded reference (10 sections, 4 labels); estimate = its boundaries + N(0, 0.6 s) jitter, "
        "one dropped, two random ones added, random labels (4)")

    return cases


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------



def rounded(scores) -> dict:
    return {
        "detection": {key: {t: [r12(v) for v in scores["detection"][key][t]] for t in ("untrimmed", "trimmed")}
                      for key, _ in WINDOWS},
        "pairwise": [r12(v) for v in scores["pairwise"]],
        "nce": [r12(v) for v in scores["nce"]],
    }


def self_check(case, ref_scores) -> None:
    """The README's algorithm must reproduce mir_eval; targeted cases must catch targeted mistakes."""
    name, ref, est = case["name"], case["reference"], case["estimate"]
    mine = spec_scores(ref, est)
    assert same(mine, ref_scores), (name, flat(mine), flat(ref_scores))
    assert spec_match_count is not greedy_nearest_count
    targeted = {
        "frame-grid": dict(float32_times=False),
        "window-edge-exact": dict(round_q5=False),
        "maximal-matching": dict(matcher=greedy_nearest_count),
    }
    if name in targeted:
        wrong = spec_scores(ref, est, **targeted[name])
        assert not same(wrong, ref_scores), f"{name} does not catch {targeted[name]}"
    if name == "window-edge-exact":
        wrong = spec_scores(ref, est, matcher=lambda r, e, w: spec_match_count(r, e, w, strict=True))
        assert not same(wrong, ref_scores), "window-edge-exact does not catch < instead of <="


def main() -> int:
    fixtures = REPO_ROOT / "Tests" / "SegmentationTests" / "Fixtures"
    fixtures.mkdir(parents=True, exist_ok=True)

    cases = build_cases()
    assert len({c["name"] for c in cases}) == len(cases)
    out_cases = []
    for case in cases:
        assert case["reference"][0][0] == 0.0, case["name"]  # references start at 0 (validate_structure)
        scores = mir_eval_scores(case["reference"], case["estimate"])
        self_check(case, scores)
        r = rounded(scores)
        out_cases.append({"name": case["name"], "reference": case["reference"], "estimate": case["estimate"],
                          "detection": r["detection"], "pairwise": r["pairwise"], "nce": r["nce"]})
        d = r["detection"]
        print(f"{case['name']}: F@0.5={d['window0.5']['untrimmed'][2]}/{d['window0.5']['trimmed'][2]} "
              f"F@3={d['window3']['untrimmed'][2]}/{d['window3']['trimmed'][2]} "
              f"pairwise={r['pairwise']} nce={r['nce']}")
        print(f"  ({case['_doc']})")

    doc = {
        "provenance": provenance("mir_eval", mir_eval.__version__, "scripts/make-segment-fixtures",
                                 {"numpy": np.__version__, "scipy": scipy.__version__},
                                 calls=CALLS, preprocessing=PREPROCESSING),
        "cases": out_cases,
    }

    text = fixture_json(doc) + "\n"
    back = json.loads(text)
    # The times written must be exactly the float64 values mir_eval saw.
    for written, used in zip(back["cases"], cases):
        assert written["reference"] == used["reference"] and written["estimate"] == used["estimate"], used["name"]

    return write_fixture(fixtures / "mir_eval-reference.json", text, MAX_BYTES, f"{len(out_cases)} cases, ")


if __name__ == "__main__":
    sys.exit(main())
