"""Write scikit-learn reference values for the GMM, agglomerative and HDBSCAN clusterers.

Run through the pinned environment:  scripts/make-clusterer-fixtures
(or scripts/py make_clusterer_fixtures). Takes no arguments.

Output: Tests/ClusteringTests/Fixtures/sklearn-clusterers.json
  gmmCases            GaussianMixture from given initial means: score, labels, BIC, memberships
  agglomerativeCases  AgglomerativeClustering(compute_distances=True) per linkage: labels, merges, heights
  hdbscanCases        HDBSCAN labels (-1 = noise) on blobs, moons, varied density and noise

As in make_clustering_fixtures.py, inputs come from seeded numpy Generators and
every coordinate is rounded to 7 significant digits before anything is
computed, so the JSON holds exactly the float64 values scikit-learn saw.
Everything runs under threadpool_limits(1).

GMM from initial means M: every row goes to its nearest row of M (squared
Euclidean, ties to the lower index); scikit-learn's own
_estimate_gaussian_parameters turns those hard labels into weights, means and
covariances (reg_covar 1e-6), which are passed as weights_init, means_init
and precisions_init. SongAtlas's GaussianMixture.fit(_:initialMeans:) does the
same from M, so both run EM from the same start.

Agglomerative cases are checked to have no near-ties between merge heights
(relative gap > 1e-6). HDBSCAN cases are checked to give the same partition
when the rows are shuffled, and under either order of equal-weight edges of
the mutual-reachability spanning tree (scikit-learn's own make_single_linkage
and tree_to_labels); a draw whose labels hang on such a tie is drawn again.

Set SOURCE_DATE_EPOCH to pin provenance.generatedOn.
"""

from __future__ import annotations

import sys

from songatlas_py import (REPO_ROOT, argument_parser, fixture_json, provenance, require_pinned, significant,
                          write_fixture)

argument_parser(__doc__).parse_args()
require_pinned("scikit-learn", "numpy", "scipy")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import HDBSCAN, AgglomerativeClustering  # noqa: E402
from sklearn.datasets import make_moons  # noqa: E402
from sklearn.mixture import GaussianMixture  # noqa: E402
from sklearn.mixture._gaussian_mixture import _estimate_gaussian_parameters  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

MAX_BYTES = 400 * 1024

CALLS = {
    "gmm": "sklearn.mixture.GaussianMixture(n_components=k, covariance_type=c, reg_covar=1e-6, tol=1e-3,"
           " max_iter=100, weights_init=w0, means_init=m0, precisions_init=p0).fit(X); w0, m0, c0 ="
           " _estimate_gaussian_parameters(X, one-hot nearest initialMeans, 1e-6, c), w0 /= w0.sum(),"
           " p0 = 1/c0 (diag) or inv(c0) (full); logLikelihood = score(X), labels = predict(X),"
           " bic = bic(X), memberships = predict_proba(X)[:10]",
    "agglomerative": "sklearn.cluster.AgglomerativeClustering(n_clusters=k, linkage=l, compute_distances=True).fit(X);"
                     " labels = labels_, children = children_, heights = distances_",
    "hdbscan": "sklearn.cluster.HDBSCAN(min_cluster_size=m, min_samples=s, copy=True).fit(X).labels_ (defaults otherwise:"
               " euclidean, cluster_selection_method='eom', allow_single_cluster=False)",
}


def r10(x: float) -> float:
    return significant(x, 10)


def round_data(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    out = np.array([significant(v, 7) for v in x.ravel()], dtype=np.float64).reshape(x.shape)
    out[out == 0.0] = 0.0
    return out


def data_list(x: np.ndarray) -> list:
    return [[float(v) for v in row] for row in x]


def int_list(a) -> list:
    return [int(v) for v in a]


def blobs(rng, centers, sizes, std):
    centers = np.asarray(centers, dtype=np.float64)
    stds = np.broadcast_to(np.asarray(std, dtype=np.float64), (len(centers),))
    xs = [c + s * rng.standard_normal((n, centers.shape[1])) for c, n, s in zip(centers, sizes, stds)]
    x = np.concatenate(xs)
    return round_data(x[rng.permutation(len(x))])


# ---------------------------------------------------------------------------
# Gaussian mixtures
# ---------------------------------------------------------------------------

def gmm_case(name, x, k, covariance, rng):
    means0 = x[np.sort(rng.choice(len(x), size=k, replace=False))]
    squared = ((x[:, None, :] - means0[None, :, :]) ** 2).sum(axis=2)
    nearest = squared.argmin(axis=1)
    resp = np.zeros((len(x), k))
    resp[np.arange(len(x)), nearest] = 1
    weights, means, covariances = _estimate_gaussian_parameters(x, resp, 1e-6, covariance)
    weights = weights / weights.sum()
    precisions = 1 / covariances if covariance == "diag" else np.array([np.linalg.inv(c) for c in covariances])
    with threadpool_limits(limits=1):
        model = GaussianMixture(n_components=k, covariance_type=covariance, reg_covar=1e-6, tol=1e-3, max_iter=100,
                                weights_init=weights, means_init=means, precisions_init=precisions,
                                random_state=0).fit(x)
    assert model.converged_, name
    print(f"  gmm {name}: score {model.score(x):.10g}, n_iter {model.n_iter_}, bic {model.bic(x):.10g}")
    return {
        "name": name, "covariance": covariance, "k": k, "data": data_list(x), "initialMeans": data_list(means0),
        "logLikelihood": r10(model.score(x)), "bic": r10(model.bic(x)), "iterations": int(model.n_iter_),
        "labels": int_list(model.predict(x)),
        "memberships": [[r10(v) for v in row] for row in model.predict_proba(x)[:10]],
    }


def gmm_cases():
    rng = np.random.default_rng(20261129)
    cases = []
    x = blobs(rng, [[-4.0, 0.0], [4.0, 0.5], [0.0, 5.0]], [50, 60, 40], [1.0, 1.3, 0.8])
    cases.append(gmm_case("three-blobs-2d-diag", x, 3, "diag", rng))
    cases.append(gmm_case("three-blobs-2d-full", x, 3, "full", rng))
    centers = rng.uniform(-3.0, 3.0, (4, 5))
    x = blobs(rng, centers, [50, 50, 50, 50], 1.0)
    cases.append(gmm_case("four-overlapping-blobs-5d-full", x, 4, "full", rng))
    centers = rng.uniform(-6.0, 6.0, (5, 8))
    x = blobs(rng, centers, [60, 50, 40, 30, 20], [1.0, 0.5, 1.5, 1.0, 0.7])
    cases.append(gmm_case("five-blobs-8d-diag", x, 5, "diag", rng))
    return cases


# ---------------------------------------------------------------------------
# Agglomerative
# ---------------------------------------------------------------------------

def agglomerative_case(name, x, k, linkage):
    with threadpool_limits(limits=1):
        model = AgglomerativeClustering(n_clusters=k, linkage=linkage, compute_distances=True).fit(x)
    heights = np.asarray(model.distances_, dtype=np.float64)
    gaps = np.diff(np.sort(heights)) / np.maximum(np.sort(heights)[1:], 1e-300)
    assert gaps.min() > 1e-6, (name, linkage, gaps.min())
    return {
        "name": f"{name}-{linkage}", "linkage": linkage, "k": k, "data": data_list(x),
        "labels": int_list(model.labels_),
        "children": [int_list(pair) for pair in model.children_],
        "heights": [r10(h) for h in heights],
    }


def agglomerative_cases():
    rng = np.random.default_rng(20261130)
    cases = []
    x = blobs(rng, [[-5.0, -4.0], [5.0, -3.0], [0.0, 6.0]], [25, 20, 15], 1.2)
    for linkage in ("ward", "average", "complete"):
        cases.append(agglomerative_case("three-blobs-2d", x, 3, linkage))
    centers = rng.uniform(-4.0, 4.0, (4, 6))
    x = blobs(rng, centers, [40, 30, 30, 20], 1.0)
    for linkage in ("ward", "average", "complete"):
        cases.append(agglomerative_case("four-blobs-6d", x, 4, linkage))
    return cases


# ---------------------------------------------------------------------------
# HDBSCAN
# ---------------------------------------------------------------------------

def canonical(labels):
    names, out = {}, []
    for v in labels:
        if v < 0:
            out.append(-1)
        else:
            names.setdefault(int(v), len(names))
            out.append(names[int(v)])
    return out


def tie_robust(x, labels, min_cluster_size, min_samples) -> bool:
    """Whether scikit-learn's own tree code gives `labels` whichever way equal-weight MST edges are ordered.

    Equal weights are common in the mutual reachability graph (an item's core
    distance is often the weight of several of its edges); where such a tie
    decides which cluster an item falls out of, any order is right and the
    labels are not a fair reference.
    """
    from sklearn.cluster._hdbscan._linkage import make_single_linkage, mst_from_data_matrix
    from sklearn.cluster._hdbscan._tree import tree_to_labels
    from sklearn.metrics._dist_metrics import DistanceMetric

    samples = min_samples or min_cluster_size
    distances = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
    core = np.ascontiguousarray(np.sort(distances, axis=1)[:, samples - 1])
    mst = mst_from_data_matrix(np.ascontiguousarray(x), core, DistanceMetric.get_metric("euclidean"), 1.0)
    weights = mst["distance"]
    for tie_order in (np.arange(len(mst)), -np.arange(len(mst))):
        order = np.lexsort((tie_order, weights))
        tree_labels, _ = tree_to_labels(make_single_linkage(mst[order]), min_cluster_size)
        if canonical(tree_labels) != canonical(labels):
            return False
    return True


def hdbscan_case(name, x, min_cluster_size, min_samples, rng):
    with threadpool_limits(limits=1):
        labels = HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples, copy=True).fit(x).labels_
        order = rng.permutation(len(x))
        shuffled = HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples, copy=True).fit(x[order]).labels_
    back = np.empty_like(shuffled)
    back[order] = shuffled
    if canonical(back) != canonical(labels) or not tie_robust(x, labels, min_cluster_size, min_samples):
        print(f"  hdbscan {name}: labels hang on the order of equal-weight edges; drawing again")
        return None
    clusters = len(set(labels) - {-1})
    print(f"  hdbscan {name}: {clusters} clusters, {int((labels < 0).sum())} noise of {len(x)}")
    return {"name": name, "minClusterSize": min_cluster_size, "minSamples": min_samples, "data": data_list(x),
            "labels": int_list(labels)}


def hdbscan_cases():
    rng = np.random.default_rng(20261131)

    def first_robust(name, make, min_cluster_size, min_samples):
        for _ in range(20):
            case = hdbscan_case(name, make(), min_cluster_size, min_samples, rng)
            if case is not None:
                return case
        raise SystemExit(f"{name}: no tie-robust draw in 20 tries")

    def with_noise():
        core = blobs(rng, [[-4.0, -4.0, 0.0], [4.0, 4.0, 0.0]], [70, 70], 0.8)
        x = np.concatenate([core, round_data(rng.uniform(-10.0, 10.0, (40, 3)))])
        return x[rng.permutation(len(x))]

    moon_seeds = iter(range(7, 100))
    return [
        first_robust("blobs", lambda: blobs(rng, [[-5.0, 0.0], [5.0, 0.0], [0.0, 7.0]], [60, 50, 40], 0.9), 10, None),
        first_robust("moons", lambda: round_data(make_moons(n_samples=200, noise=0.06,
                                                            random_state=next(moon_seeds))[0]), 10, 5),
        first_robust("varied-density", lambda: blobs(rng, [[0.0, 0.0], [6.0, 0.0], [0.0, 9.0]], [60, 60, 60],
                                                     [0.3, 1.0, 2.0]), 15, None),
        first_robust("blobs-with-noise", with_noise, 12, 6),
    ]


def main() -> int:
    fixtures = REPO_ROOT / "Tests" / "ClusteringTests" / "Fixtures"
    print("gmm:")
    gmm = gmm_cases()
    print("agglomerative:")
    agglomerative = agglomerative_cases()
    print("hdbscan:")
    hdbscan = hdbscan_cases()
    doc = {
        "provenance": provenance("scikit-learn", sklearn.__version__, "scripts/make-clusterer-fixtures",
                                 {"numpy": np.__version__, "scipy": scipy.__version__}, calls=CALLS),
        "gmmCases": gmm,
        "agglomerativeCases": agglomerative,
        "hdbscanCases": hdbscan,
    }
    return write_fixture(fixtures / "sklearn-clusterers.json", fixture_json(doc) + "\n", MAX_BYTES, "")


if __name__ == "__main__":
    sys.exit(main())
