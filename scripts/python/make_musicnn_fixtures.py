"""Write the musicnn reference fixtures: checkpoint, per patch, front end, whole path (TensorFlow 2.15).

Run through the pinned TensorFlow environment:  scripts/make-musicnn-fixtures [WHEEL]
(scripts/tf-env makes it; TensorFlow 2.15 needs numpy < 2, so it is separate
from scripts/python-env). WHEEL defaults to the musicnn-0.1.0 wheel that
scripts/setup downloads.

The network runs in graph mode through tf.compat.v1, built by the wheel's own
musicnn/models.py (`define_model`) exactly as musicnn/extractor.py builds it,
and restored from the wheel's checkpoint; the patches are fed directly (not
through extractor.py's loop, which returns stale copies of the first patch's
penultimate layer for every later patch). The front end is musicnn's:
librosa.load(sr=16000, res_type="soxr_hq"), melspectrogram(n_fft=512,
hop_length=256, n_mels=96), log10(10000 x + 1) in float32 (without the
stock code's float16 cast).

Output: Tests/FeaturesTests/Fixtures/musicnn-reference.json
  checkpoint   per model, every one of the 64 model tensors: shape, zlib.crc32 of
               its float32 little-endian bytes, and sampled values as bit patterns
               (from TensorFlow's own checkpoint reader)
  patches      log-mel patches quantised to multiples of 1/32 (uint8, base64; the
               dequantised values are the exact input) and, per model, the
               embedding (penultimate, 200) and tag probabilities (50) of each
  frontEnd     per signal: frame count and selected log-mel frames
  wholePath    per signal: per-patch embeddings and tags (MTT), all whole patches
"""

from __future__ import annotations

import base64
import sys
import tempfile
import zipfile
import zlib
from importlib import metadata
from pathlib import Path
import os
import re

sys.path.insert(0, str(Path(__file__).resolve().parent))
from songatlas_py import REPO_ROOT, argument_parser, fixture_json, provenance, significant, write_fixture  # noqa: E402

parser = argument_parser(__doc__)
default_wheel = Path(os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache"))) / "songatlas" / "wheels" / "musicnn-0.1.0-py3-none-any.whl"
parser.add_argument("wheel", nargs="?", default=str(default_wheel), help="the musicnn-0.1.0 wheel")
args = parser.parse_args()

TF_ENV = REPO_ROOT / "scripts" / "tf-env"
pins = dict(re.findall(r'"([A-Za-z0-9_.-]+)==([^"\s]+)"', TF_ENV.read_text()))
versions = {}
for name, pin in pins.items():
    installed = metadata.version(name)
    if installed != pin:
        sys.exit(f"make_musicnn_fixtures: {name} {installed} is installed, scripts/tf-env pins {pin}")
    versions[name] = installed

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import librosa  # noqa: E402
import tensorflow as tf  # noqa: E402

SR = 16000
FRAMES = 187
N_MELS = 96
QUANTUM = 32  # patch inputs are multiples of 1/32
FIXTURES = REPO_ROOT / "Tests" / "FeaturesTests" / "Fixtures"
SIGNALS = FIXTURES / "signals"

CALLS = {
    "graph": "tf.compat.v1.disable_eager_execution(); x = tf.compat.v1.placeholder(tf.float32, [None, 187, 96]); "
             "logits, ..., penultimate = musicnn.models.define_model(x, False, 'MTT_musicnn' | 'MSD_musicnn', 50); "
             "tf.compat.v1.train.Saver().restore(sess, 'musicnn/MTT_musicnn/'); tags = tf.nn.sigmoid(logits)",
    "checkpoint": "tf.compat.v1.train.NewCheckpointReader('musicnn/MTT_musicnn/').get_tensor(name) for the 64 model variables",
    "load": "librosa.load(path, sr=16000, mono=True, res_type='soxr_hq')",
    "logMel": "np.log10(10000 * librosa.feature.melspectrogram(y=y, sr=16000, hop_length=256, n_fft=512, n_mels=96).T + 1)",
    "patches": "whole 187-frame patches without overlap, from frame 0 (musicnn.extractor.batch_data with overlap=187)",
}

work = Path(tempfile.mkdtemp(prefix="musicnn-wheel-"))
with zipfile.ZipFile(args.wheel) as wheel:
    wheel.extractall(work)
sys.path.insert(0, str(work))
from musicnn import models  # noqa: E402  (the wheel's own graph builder)

MODELS = {"mtt": "MTT_musicnn", "msd": "MSD_musicnn"}


class Network:
    """One model's graph and session."""

    def __init__(self, name: str):
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.x = tf.compat.v1.placeholder(tf.float32, [None, FRAMES, N_MELS])
            outputs = models.define_model(self.x, False, name, 50)
            self.tags = tf.nn.sigmoid(outputs[0])
            self.penultimate = outputs[8]
            config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
            self.session = tf.compat.v1.Session(graph=self.graph, config=config)
            tf.compat.v1.train.Saver().restore(self.session, str(work / "musicnn" / name) + "/")

    def run(self, patches: np.ndarray):
        embedding, tags = self.session.run([self.penultimate, self.tags], feed_dict={self.x: patches})
        return embedding, tags


tf.compat.v1.disable_eager_execution()
networks = {key: Network(name) for key, name in MODELS.items()}


def log_mel(path: Path) -> np.ndarray:
    y, _ = librosa.load(str(path), sr=SR, mono=True, res_type="soxr_hq")
    mel = librosa.feature.melspectrogram(y=y, sr=SR, hop_length=256, n_fft=512, n_mels=N_MELS).T
    return np.log10(10000 * mel + 1).astype(np.float32)


def whole_patches(rep: np.ndarray) -> np.ndarray:
    count = (rep.shape[0] - FRAMES) // FRAMES + 1 if rep.shape[0] >= FRAMES else 0
    return np.stack([rep[i * FRAMES:(i + 1) * FRAMES] for i in range(count)]) if count else np.zeros((0, FRAMES, N_MELS), np.float32)


def numbers(values, digits=7):
    return [significant(v, digits) for v in np.asarray(values).ravel()]


# --- checkpoint -----------------------------------------------------------------
layout = []
checkpoint = {}
for key, name in MODELS.items():
    reader = tf.compat.v1.train.NewCheckpointReader(str(work / "musicnn" / name) + "/")
    shapes = reader.get_variable_to_shape_map()
    entries = []
    for tensor in sorted(n for n in shapes if "Adam" not in n and not n.startswith("beta1_power") and not n.startswith("beta2_power")):
        values = np.ascontiguousarray(reader.get_tensor(tensor), dtype="<f4")
        flat = values.ravel()
        picks = sorted({0, flat.size // 3, flat.size // 2, flat.size - 1})
        entries.append({
            "name": tensor, "shape": list(values.shape), "crc32": zlib.crc32(flat.tobytes()),
            "samples": [[int(i), int(flat[i:i + 1].view("<u4")[0])] for i in picks],
        })
    checkpoint[key] = {"entryCount": len(shapes), "tensors": entries}

# --- per patch ---------------------------------------------------------------------
patch_sources = [("dnb-01", 1), ("piano-01", 2), ("chiptune-01", 0)]
patches = []
for source, index in patch_sources:
    rep = log_mel(REPO_ROOT / "SampleAudio" / f"{source}.flac")
    patch = rep[index * FRAMES:(index + 1) * FRAMES]
    quantised = np.clip(np.round(patch * QUANTUM), 0, 255).astype(np.uint8)
    patches.append({"name": f"{source} patch {index}", "quantised": quantised})
patches.append({"name": "zeros (digital silence)", "quantised": np.zeros((FRAMES, N_MELS), np.uint8)})
inputs = np.stack([p["quantised"].astype(np.float32) / QUANTUM for p in patches])
patch_results = {key: net.run(inputs) for key, net in networks.items()}
patch_fixture = []
for i, p in enumerate(patches):
    entry = {"name": p["name"], "input": base64.b64encode(p["quantised"].tobytes()).decode()}
    for key in MODELS:
        entry[key] = {"embedding": numbers(patch_results[key][0][i]), "tags": numbers(patch_results[key][1][i])}
    patch_fixture.append(entry)

# --- front end and whole path --------------------------------------------------------
signal_files = [
    ("piano-01", REPO_ROOT / "SampleAudio" / "piano-01.flac"),
    ("dnb-01", REPO_ROOT / "SampleAudio" / "dnb-01.flac"),
    ("ambient-01", REPO_ROOT / "SampleAudio" / "ambient-01.flac"),
    ("chirp", SIGNALS / "chirp.flac"),
    ("chord-decay", SIGNALS / "chord-decay.flac"),
]
front_end = []
whole_path = []
for name, path in signal_files:
    rep = log_mel(path)
    picks = np.unique(np.linspace(0, rep.shape[0] - 1, 16).round().astype(int))
    relative = str(path.relative_to(REPO_ROOT))
    front_end.append({
        "signal": name, "file": relative, "frameCount": int(rep.shape[0]),
        "frames": [int(i) for i in picks], "logMel": [numbers(rep[i], 5) for i in picks],
    })
    batch = whole_patches(rep)
    embedding, tags = networks["mtt"].run(batch)
    whole_path.append({
        "signal": name, "file": relative, "patchCount": int(batch.shape[0]),
        "embeddings": [numbers(e, 5) for e in embedding], "tags": [numbers(t, 5) for t in tags],
    })

fixture = {
    "provenance": provenance(
        "tensorflow", tf.__version__, "scripts/make-musicnn-fixtures (scripts/python/make_musicnn_fixtures.py)",
        {"numpy": np.__version__, "librosa": librosa.__version__, "soxr": versions["soxr"],
         "soundfile": versions["soundfile"], "musicnn": "0.1.0 (wheel " + Path(args.wheel).name + ")"},
        calls=CALLS, patchQuantum=f"1/{QUANTUM}"),
    "checkpoint": checkpoint,
    "patches": patch_fixture,
    "frontEnd": front_end,
    "wholePath": whole_path,
}
sys.exit(write_fixture(FIXTURES / "musicnn-reference.json", fixture_json(fixture) + "\n", max_bytes=400 * 1024))
