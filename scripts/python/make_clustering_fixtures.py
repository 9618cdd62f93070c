"""Write scikit-learn reference values for SongAtlas's clustering tests.

Run through the pinned environment:  scripts/make-clustering-fixtures
(or scripts/py make_clustering_fixtures). Takes no arguments.

Output: Tests/ClusteringTests/Fixtures/sklearn-reference.json
  labelCases     label-comparison metrics (ARI, AMI, NMI, homogeneity,
                 completeness, V-measure) for pairs of labelings
  geometryCases  internal metrics (silhouette, Davies-Bouldin,
                 Calinski-Harabasz, inertia) for data + labels
  kmeansCases    sklearn KMeans inertia_ and labels_ for data + k

All inputs come from seeded numpy Generators. Data points are rounded to 7
significant digits *before* anything is computed, so the JSON holds exactly
the float64 values sklearn saw. Metric values are rounded to 10 significant
digits. KMeans runs with one thread so that its floating-point reductions do
not depend on the machine's core count.

Set SOURCE_DATE_EPOCH to pin provenance.generatedOn; otherwise it is today's
UTC date. Everything else is deterministic.
"""

from __future__ import annotations

import json
import sys

from songatlas_py import (REPO_ROOT, argument_parser, fixture_json, provenance, require_pinned, significant,
                          write_fixture)

argument_parser(__doc__).parse_args()
require_pinned("scikit-learn", "numpy", "scipy")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from sklearn import metrics  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

# Guard against accidental growth. The file is ~504 KiB, and 40 000 of its ~51 000 coordinates come
# from the 1000x40 KMeans case. At 7 significant digits a coordinate needs >= 9 bytes in JSON, so
# that case alone cannot fit in 400 KiB together with the rest.
MAX_BYTES = 512 * 1024

CALLS = {
    "ari": "sklearn.metrics.adjusted_rand_score(labels_true, labels_pred)",
    "ami": "sklearn.metrics.adjusted_mutual_info_score(labels_true, labels_pred)"
           " (default average_method='arithmetic')",
    "nmi": "sklearn.metrics.normalized_mutual_info_score(labels_true, labels_pred)"
           " (default average_method='arithmetic')",
    "homogeneity": "sklearn.metrics.homogeneity_score(labels_true, labels_pred)",
    "completeness": "sklearn.metrics.completeness_score(labels_true, labels_pred)",
    "vMeasure": "sklearn.metrics.v_measure_score(labels_true, labels_pred) (default beta=1.0)",
    "silhouette": "sklearn.metrics.silhouette_score(X, labels, metric='euclidean')",
    "daviesBouldin": "sklearn.metrics.davies_bouldin_score(X, labels)",
    "calinskiHarabasz": "sklearn.metrics.calinski_harabasz_score(X, labels)",
    "inertia": "sum of squared distances to each cluster's mean"
               " (numpy float64: sum over clusters of ((X[c] - X[c].mean(0))**2).sum())",
    "kmeans": "sklearn.cluster.KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)"
              " (run under threadpoolctl.threadpool_limits(1)); inertia = inertia_, labels = labels_",
}


# ---------------------------------------------------------------------------
# Rounding
# ---------------------------------------------------------------------------

def r10(x: float) -> float:
    return significant(x, 10)


def r7(x: float) -> float:
    return significant(x, 7)


def round_data(x: np.ndarray) -> np.ndarray:
    """Round every coordinate to 7 significant digits; the result is what gets used and written."""
    x = np.asarray(x, dtype=np.float64)
    out = np.array([r7(v) for v in x.ravel()], dtype=np.float64).reshape(x.shape)
    out[out == 0.0] = 0.0  # no -0.0 in the JSON
    return out


def data_list(x: np.ndarray) -> list:
    return [[float(v) for v in row] for row in x]


def int_list(a) -> list:
    return [int(v) for v in a]


# ---------------------------------------------------------------------------
# Data generators
# ---------------------------------------------------------------------------

def blobs(rng: np.random.Generator, centers: np.ndarray, sizes, std) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic Gaussian blobs, shuffled so that labels are not sorted."""
    centers = np.asarray(centers, dtype=np.float64)
    stds = np.broadcast_to(np.asarray(std, dtype=np.float64), (len(centers),))
    xs, ys = [], []
    for k, (c, n, s) in enumerate(zip(centers, sizes, stds)):
        xs.append(c + s * rng.standard_normal((n, centers.shape[1])))
        ys.append(np.full(n, k, dtype=np.int64))
    x, y = np.concatenate(xs), np.concatenate(ys)
    order = rng.permutation(len(y))
    return round_data(x[order]), y[order]


# ---------------------------------------------------------------------------
# Label-comparison cases
# ---------------------------------------------------------------------------

def label_case(name: str, labels_true, labels_pred) -> dict:
    t = np.asarray(labels_true, dtype=np.int64)
    p = np.asarray(labels_pred, dtype=np.int64)
    assert t.shape == p.shape and t.ndim == 1 and len(t) >= 1, name
    return {
        "name": name,
        "labelsTrue": int_list(t),
        "labelsPred": int_list(p),
        "ari": r10(metrics.adjusted_rand_score(t, p)),
        "ami": r10(metrics.adjusted_mutual_info_score(t, p)),
        "nmi": r10(metrics.normalized_mutual_info_score(t, p)),
        "homogeneity": r10(metrics.homogeneity_score(t, p)),
        "completeness": r10(metrics.completeness_score(t, p)),
        "vMeasure": r10(metrics.v_measure_score(t, p)),
    }


def label_cases() -> list:
    rng = np.random.default_rng(20240711)
    cases = []

    base = np.repeat([0, 1, 2, 3], [6, 5, 5, 4])
    base = base[rng.permutation(len(base))]
    cases.append(label_case("identical", base, base))

    rename = np.array([2, 3, 0, 1])  # 0->2, 1->3, 2->0, 3->1: same partition, other names
    cases.append(label_case("permuted-label-names", base, rename[base]))

    three = np.repeat([0, 1, 2], [7, 7, 6])
    three = three[rng.permutation(len(three))]
    cases.append(label_case("pred-one-cluster-vs-3-classes", three, np.zeros(len(three), dtype=np.int64)))

    four = np.repeat([0, 1, 2, 3], 4)
    four = four[rng.permutation(len(four))]
    cases.append(label_case("pred-all-singletons-vs-4-classes", four, np.arange(len(four))))

    pred3 = np.repeat([0, 1, 2], [5, 6, 4])
    pred3 = pred3[rng.permutation(len(pred3))]
    cases.append(label_case("true-one-class-vs-pred-3-clusters", np.zeros(len(pred3), dtype=np.int64), pred3))

    cases.append(label_case("both-single-cluster", np.zeros(12, dtype=np.int64), np.full(12, 5, dtype=np.int64)))

    cases.append(label_case("both-all-singletons", np.arange(8), rng.permutation(8)))

    t200 = rng.integers(0, 5, 200)
    p200 = rng.integers(0, 7, 200)
    assert len(np.unique(t200)) == 5 and len(np.unique(p200)) == 7
    cases.append(label_case("random-200-5-vs-7", t200, p200))

    t30 = np.repeat([0, 1, 2], 10)
    t30 = t30[rng.permutation(30)]
    p30 = t30.copy()
    for i in rng.choice(30, size=6, replace=False):  # exactly 20% reassigned to another class
        p30[i] = (t30[i] + rng.integers(1, 3)) % 3
    assert np.sum(p30 != t30) == 6
    cases.append(label_case("reassigned-20pct-30", t30, p30))

    tnc = rng.choice([3, 17, 42], size=24)
    pnc = tnc.copy()
    flip = rng.choice(24, size=5, replace=False)
    pnc[flip] = rng.choice([3, 17, 42], size=5)
    pnc = np.select([pnc == 3, pnc == 17, pnc == 42], [9, 108, 7], pnc)  # rename pred values too
    assert set(np.unique(tnc)) == {3, 17, 42}
    cases.append(label_case("noncontiguous-label-values", tnc, pnc))

    cases.append(label_case("two-items", [0, 1], [0, 0]))
    cases.append(label_case("two-items-swapped-names", [0, 1], [1, 0]))

    tub = np.repeat([0, 1, 2], [90, 5, 5])
    pub = np.concatenate([
        rng.choice([0, 1, 2], size=90, p=[0.6, 0.3, 0.1]),  # the big class is split
        np.full(5, 2),                                     # small class 1 lands in cluster 2
        np.array([2, 2, 2, 1, 0]),                          # small class 2 mostly cluster 2
    ])
    order = rng.permutation(100)
    cases.append(label_case("unbalanced-90-5-5", tub[order], pub[order]))

    return cases


# ---------------------------------------------------------------------------
# Geometry (internal metric) cases
# ---------------------------------------------------------------------------

def inertia_about_means(x: np.ndarray, labels: np.ndarray) -> float:
    total = 0.0
    for k in np.unique(labels):
        pts = x[labels == k]
        total += float(((pts - pts.mean(axis=0)) ** 2).sum())
    return total


def geometry_case(name: str, x: np.ndarray, labels) -> dict:
    labels = np.asarray(labels, dtype=np.int64)
    assert x.shape[0] == len(labels)
    return {
        "name": name,
        "data": data_list(x),
        "labels": int_list(labels),
        "silhouette": r10(metrics.silhouette_score(x, labels, metric="euclidean")),
        "daviesBouldin": r10(metrics.davies_bouldin_score(x, labels)),
        "calinskiHarabasz": r10(metrics.calinski_harabasz_score(x, labels)),
        "inertia": r10(inertia_about_means(x, labels)),
    }


def geometry_cases() -> list:
    rng = np.random.default_rng(20240712)
    cases = []

    x, y = blobs(rng, [[-6.0, 0.0], [6.0, 1.0], [0.0, 9.0]], [20, 20, 20], 0.8)
    cases.append(geometry_case("three-separated-blobs-2d", x, y))

    centers = rng.uniform(-1.5, 1.5, (4, 5))
    x, y = blobs(rng, centers, [30, 30, 30, 30], 1.0)
    cases.append(geometry_case("four-overlapping-blobs-5d", x, y))

    x, y = blobs(rng, [[0.0, 0.0], [5.0, 5.0]], [14, 13], [1.0, 1.2])
    outlier = round_data(np.array([[12.5, -3.25]]))
    pos = 11  # singleton sits mid-array, labelled 2
    x = np.insert(x, pos, outlier[0], axis=0)
    y = np.insert(y, pos, 2)
    cases.append(geometry_case("singleton-cluster-2d", x, y))

    centers = rng.normal(0.0, 2.5, (6, 40))
    x, y = blobs(rng, centers, [50, 40, 35, 30, 25, 20], [1.0, 1.5, 2.0, 1.0, 2.5, 1.5])
    cases.append(geometry_case("six-clusters-40d", x, y))

    x, y = blobs(rng, [[0.0, 0.0, 0.0], [4.0, 0.0, 1.0], [1.0, 5.0, -2.0]], [15, 12, 18], 1.3)
    cases.append(geometry_case("noncontiguous-labels-3d", x, np.array([7, 2, 11])[y]))

    return cases


# ---------------------------------------------------------------------------
# KMeans cases
# ---------------------------------------------------------------------------

def kmeans_case(name: str, x: np.ndarray, k: int, truth=None) -> dict:
    with threadpool_limits(limits=1):
        km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(x)
    labels = km.labels_.astype(np.int64)
    assert len(np.unique(labels)) == k
    if truth is not None:
        ari = metrics.adjusted_rand_score(truth, labels)
        assert ari == 1.0, (name, ari)  # well-separated: sklearn recovers the generating partition
    about_means = inertia_about_means(x, labels)
    rel = abs(about_means - km.inertia_) / km.inertia_
    print(f"  {name}: inertia_={km.inertia_:.10g}, about label means={about_means:.10g} (rel diff {rel:.1e}),"
          f" n_iter_={km.n_iter_}")
    return {"name": name, "data": data_list(x), "k": k,
            "inertia": r10(km.inertia_), "labels": int_list(labels)}


def kmeans_cases() -> list:
    rng = np.random.default_rng(20240713)
    cases = []

    x, y = blobs(rng, [[-5.0, -4.0], [5.0, -3.0], [0.0, 6.0]], [30, 30, 30], 1.0)
    cases.append(kmeans_case("three-blobs-2d", x, 3, truth=y))

    centers = rng.uniform(-10.0, 10.0, (8, 40))
    x, y = blobs(rng, centers, [125] * 8, 1.0)
    cases.append(kmeans_case("eight-blobs-40d", x, 8, truth=y))

    x = round_data(rng.uniform(0.0, 1.0, (300, 5)))
    cases.append(kmeans_case("uniform-300x5", x, 4))

    return cases


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------



def main() -> int:
    fixtures = REPO_ROOT / "Tests" / "ClusteringTests" / "Fixtures"
    fixtures.mkdir(parents=True, exist_ok=True)

    labels = label_cases()
    geometry = geometry_cases()
    print("kmeans:")
    kmeans = kmeans_cases()

    doc = {
        "provenance": provenance("scikit-learn", sklearn.__version__, "scripts/make-clustering-fixtures",
                                 {"numpy": np.__version__, "scipy": scipy.__version__}, calls=CALLS),
        "labelCases": labels,
        "geometryCases": geometry,
        "kmeansCases": kmeans,
    }

    text = fixture_json(doc) + "\n"
    back = json.loads(text)
    # The data written must be exactly the float64 values the metrics were computed from.
    for case_list in ("geometryCases", "kmeansCases"):
        for written, used in zip(back[case_list], doc[case_list]):
            assert written["data"] == used["data"], written["name"]

    for c in labels:
        print(f"label {c['name']}: ari={c['ari']} ami={c['ami']} nmi={c['nmi']} "
              f"h={c['homogeneity']} c={c['completeness']} v={c['vMeasure']}")
    for c in geometry:
        print(f"geometry {c['name']}: n={len(c['data'])} d={len(c['data'][0])} "
              f"sil={c['silhouette']} db={c['daviesBouldin']} ch={c['calinskiHarabasz']} inertia={c['inertia']}")

    return write_fixture(fixtures / "sklearn-reference.json", text, MAX_BYTES, "")


if __name__ == "__main__":
    sys.exit(main())
