"""Write scikit-learn nearest-neighbour reference values for SongAtlas's similarity tests.

Run through the pinned environment:  scripts/py make_similarity_fixtures
Takes no arguments.

Output: Tests/ClusteringTests/Fixtures/sklearn-neighbours.json
  cases   data (rows x columns), seeds, k, and for each seed the k nearest
          other rows and their Euclidean distances, from
          sklearn.neighbors.NearestNeighbors(algorithm="brute").kneighbors

Data come from a seeded numpy Generator (three Gaussian blobs) and are rounded
to 7 significant digits before anything is computed, so the JSON holds exactly
the float64 values sklearn saw. Distances are rounded to 10 significant digits.
The script checks that consecutive neighbour distances differ by more than
1e-4 (relative), so float32 arithmetic in Swift cannot swap two neighbours.

Set SOURCE_DATE_EPOCH to pin provenance.generatedOn.
"""

from __future__ import annotations

import json
import sys

from songatlas_py import REPO_ROOT, argument_parser, fixture_json, provenance, require_pinned, significant, write_fixture

argument_parser(__doc__).parse_args()
require_pinned("scikit-learn", "numpy", "scipy")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from sklearn.neighbors import NearestNeighbors  # noqa: E402

CALL = ("sklearn.neighbors.NearestNeighbors(n_neighbors=k + 1, algorithm='brute', metric='euclidean').fit(X)"
        ".kneighbors(X[seeds]); the seed itself (distance 0, first) is dropped")


def r7(x):
    return significant(x, 7)


def case(name: str, seed: int, rows: int, columns: int, seeds: list[int], k: int) -> dict:
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 4, size=(3, columns))
    labels = rng.integers(0, 3, size=rows)
    raw = centres[labels] + rng.normal(0, 1, size=(rows, columns))
    data = np.array([[r7(v) for v in row] for row in raw], dtype=np.float64)
    model = NearestNeighbors(n_neighbors=k + 1, algorithm="brute", metric="euclidean").fit(data)
    distances, indices = model.kneighbors(data[seeds])
    neighbours = []
    for seed_row, row_distances, row_indices in zip(seeds, distances, indices):
        assert row_indices[0] == seed_row and row_distances[0] < 1e-6, (seed_row, row_indices[0])
        ordered = row_distances[1:]
        gaps = np.diff(ordered) / np.maximum(ordered[1:], 1e-12)
        assert (gaps > 1e-4).all(), f"{name}: seed {seed_row} has near-tied neighbours"
        neighbours.append({"seed": int(seed_row), "indices": [int(i) for i in row_indices[1:]],
                           "distances": [significant(float(v), 10) for v in ordered]})
    return {"name": name, "k": k, "data": data.tolist(), "neighbours": neighbours}


def main() -> int:
    fixtures = REPO_ROOT / "Tests" / "ClusteringTests" / "Fixtures"
    cases = [
        case("blobs-120x6", 11, 120, 6, [0, 17, 63], 10),
        case("blobs-300x24", 12, 300, 24, [5, 150, 299], 30),
    ]
    doc = {
        "provenance": provenance("scikit-learn", sklearn.__version__, "scripts/py make_similarity_fixtures",
                                 {"numpy": np.__version__, "scipy": scipy.__version__}, calls={"kneighbors": CALL}),
        "cases": cases,
    }
    text = fixture_json(doc) + "\n"
    back = json.loads(text)
    for written, used in zip(back["cases"], cases):
        assert written["data"] == used["data"], written["name"]
    return write_fixture(fixtures / "sklearn-neighbours.json", text, 256 * 1024, "")


if __name__ == "__main__":
    sys.exit(main())
