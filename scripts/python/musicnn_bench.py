"""Time musicnn's network in TensorFlow 2.15 (graph mode, one thread) on given log-mel patches.

The peer of `songatlas-bench embedding`, which writes the patches (count x 187 x 96
float32, little-endian) and runs this script under `taskset -c 0` with the
python of scripts/tf-env. The graph is built by the wheel's own musicnn/models.py
and restored from its MTT checkpoint, as scripts/python/make_musicnn_fixtures.py does.
Prints one JSON object: version, single (median seconds per patch, one patch per
session.run) and batched (median seconds per patch, all patches in one run), each
as wall time and as the process's CPU time (all its threads: time.process_time),
which a busy machine disturbs less.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from songatlas_py import argument_parser  # noqa: E402

parser = argument_parser(__doc__)
parser.add_argument("--wheel", required=True, help="the musicnn-0.1.0 wheel")
parser.add_argument("--repeats", type=int, default=3, help="timed passes; medians are printed")
parser.add_argument("patches", help="float32 file of count x 187 x 96 log-mel values")
args = parser.parse_args()

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

work = Path(tempfile.mkdtemp(prefix="musicnn-wheel-"))
with zipfile.ZipFile(args.wheel) as wheel:
    wheel.extractall(work, members=[m for m in wheel.namelist() if m.startswith("musicnn/") and ("MTT_musicnn" in m or m.endswith(".py"))])
sys.path.insert(0, str(work))
from musicnn import models  # noqa: E402

patches = np.fromfile(args.patches, dtype="<f4").reshape(-1, 187, 96)
tf.compat.v1.disable_eager_execution()
graph = tf.Graph()
with graph.as_default():
    x = tf.compat.v1.placeholder(tf.float32, [None, 187, 96])
    outputs = models.define_model(x, False, "MTT_musicnn", 50)
    tags, penultimate = tf.nn.sigmoid(outputs[0]), outputs[8]
    config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    session = tf.compat.v1.Session(graph=graph, config=config)
    tf.compat.v1.train.Saver().restore(session, str(work / "musicnn" / "MTT_musicnn") + "/")

session.run([penultimate, tags], feed_dict={x: patches[:1]})  # warm-up
single, batched, single_cpu, batched_cpu = [], [], [], []
for _ in range(max(args.repeats, 1)):
    for patch in patches:
        start, start_cpu = time.perf_counter(), time.process_time()
        session.run([penultimate, tags], feed_dict={x: patch[None]})
        single.append(time.perf_counter() - start)
        single_cpu.append(time.process_time() - start_cpu)
    start, start_cpu = time.perf_counter(), time.process_time()
    session.run([penultimate, tags], feed_dict={x: patches})
    batched.append((time.perf_counter() - start) / len(patches))
    batched_cpu.append((time.process_time() - start_cpu) / len(patches))
print(json.dumps({"version": tf.__version__, "single": float(np.median(single)), "batched": float(np.median(batched)),
                  "singleCPU": float(np.median(single_cpu)), "batchedCPU": float(np.median(batched_cpu))}))
