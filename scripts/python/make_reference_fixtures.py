"""Write librosa reference values for SongAtlas's feature tests.

Run through the pinned environment:  scripts/make-reference-fixtures
(or scripts/py make_reference_fixtures). Takes no arguments.
(SampleAudio/ must exist; it is created by scripts/make-sample-audio.)

Outputs, under Tests/FeaturesTests/Fixtures/:
  signals/*.flac            22050 Hz mono PCM_16 test signals (<= 6 s each)
  librosa-reference.json    librosa 0.11.0 feature values for each signal

Set SOURCE_DATE_EPOCH to pin provenance.generatedOn; otherwise it is today's
UTC date. Everything else is deterministic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from songatlas_py import (ANALYSIS_RATE, REPO_ROOT, argument_parser, fixture_json, load_mono, provenance,
                          require_pinned, significant, write_fixture)

argument_parser(__doc__).parse_args()
require_pinned("librosa", "numpy", "scipy", "soundfile")

import librosa  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import soundfile as sf  # noqa: E402

SR = ANALYSIS_RATE
EXCERPT_SECONDS = 6.0
MEL_DB_SIGNALS = {"a4-sine", "chirp"}
MEL_DB_FRAMES = 5

CALLS = {
    "load": "librosa.load(path, sr=None, mono=True)",
    "mfcc": "librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)",
    "chroma": "librosa.feature.chroma_stft(y=y, sr=sr, n_fft=2048, hop_length=512, tuning=0)",
    "centroid": "librosa.feature.spectral_centroid(y=y, sr=sr)",
    "bandwidth": "librosa.feature.spectral_bandwidth(y=y, sr=sr)",
    "rolloff": "librosa.feature.spectral_rolloff(y=y, sr=sr, roll_percent=0.85)",
    "flatness": "librosa.feature.spectral_flatness(y=y)",
    "zcr": "librosa.feature.zero_crossing_rate(y)",
    "rms": "librosa.feature.rms(y=y)",
    "onset": "librosa.onset.onset_strength(y=y, sr=sr)",
    "contrast": "librosa.feature.spectral_contrast(y=y, sr=sr) (fmin=200, n_bands=6, quantile=0.02)",
    "melDb": "librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr))[:, :5]"
             " (a4-sine and chirp only)",
    "tempo": "float(librosa.feature.tempo(y=y, sr=sr)[0])",
}


# ---------------------------------------------------------------------------
# Test signals (float in [-1, 1], quantised to int16 below)
# ---------------------------------------------------------------------------

def t_axis(seconds: float) -> np.ndarray:
    return np.arange(int(round(seconds * SR))) / SR


def sig_a4_sine() -> np.ndarray:
    return 0.5 * np.sin(2 * np.pi * 440.0 * t_axis(3.0))


def sig_chirp() -> np.ndarray:
    dur, f0, f1 = 4.0, 100.0, 8000.0
    t = t_axis(dur)
    return 0.5 * np.sin(2 * np.pi * (f0 * t + 0.5 * (f1 - f0) / dur * t * t))


def sig_noise_bursts() -> np.ndarray:
    rng = np.random.default_rng(20240601)
    t = t_axis(4.0)
    y = np.zeros_like(t)
    burst = int(round(0.1 * SR))
    for k in range(8):  # bursts start at 0.25, 0.75, ..., 3.75 s
        s = int(round((0.25 + 0.5 * k) * SR))
        y[s:s + burst] = rng.uniform(-0.3, 0.3, burst)
    return y


def sig_chord_decay() -> np.ndarray:
    t = t_axis(3.0)
    y = np.zeros_like(t)
    for midi in (60, 64, 67):  # C4 E4 G4
        f0 = 440.0 * 2.0 ** ((midi - 69) / 12)
        for k in range(1, 7):
            y += (1.0 / k) * np.exp(-t * (1.2 + 0.6 * k)) * np.sin(2 * np.pi * k * f0 * t)
    return 0.5 * y / np.max(np.abs(y))


def sig_silence_then_tone() -> np.ndarray:
    t = t_axis(1.0)
    return np.concatenate([np.zeros(len(t)), 0.5 * np.sin(2 * np.pi * 1000.0 * t)])


def to_int16(y: np.ndarray) -> np.ndarray:
    q = np.round(y * 32767.0)
    assert np.max(np.abs(q)) <= 32767
    return q.astype(np.int16)


# ---------------------------------------------------------------------------
# Reference values
# ---------------------------------------------------------------------------

def r7(x: float) -> float:
    return significant(x, 7)


def vec(a: np.ndarray) -> list:
    return [r7(v) for v in np.asarray(a).ravel()]


def frames(a: np.ndarray) -> list:
    """(features, frames) -> frame-major nested list."""
    return [vec(col) for col in np.asarray(a).T]


def features(path: Path) -> dict:
    y, sr = load_mono(path, rate=None)
    assert sr == SR, sr
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)
    chroma = librosa.feature.chroma_stft(y=y, sr=sr, n_fft=2048, hop_length=512, tuning=0)
    scalars = {
        "centroid": librosa.feature.spectral_centroid(y=y, sr=sr),
        "bandwidth": librosa.feature.spectral_bandwidth(y=y, sr=sr),
        "rolloff": librosa.feature.spectral_rolloff(y=y, sr=sr, roll_percent=0.85),
        "flatness": librosa.feature.spectral_flatness(y=y),
        "zcr": librosa.feature.zero_crossing_rate(y),
        "rms": librosa.feature.rms(y=y),
        "onset": librosa.onset.onset_strength(y=y, sr=sr)[np.newaxis, :],
    }
    n_frames = 1 + len(y) // 512
    assert mfcc.shape == (20, n_frames) and chroma.shape == (12, n_frames), (mfcc.shape, chroma.shape)
    contrast = librosa.feature.spectral_contrast(y=y, sr=sr)
    assert contrast.shape == (7, n_frames), contrast.shape
    out = {"sampleRate": sr, "sampleCount": int(len(y)), "frameCount": n_frames,
           "mfcc": frames(mfcc), "chroma": frames(chroma), "contrast": frames(contrast)}
    for key, val in scalars.items():
        assert val.shape == (1, n_frames), (key, val.shape)
        out[key] = vec(val[0])
    if path.stem in MEL_DB_SIGNALS:
        mel_db = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr))
        assert mel_db.shape == (128, n_frames)
        out["melDb"] = frames(mel_db[:, :MEL_DB_FRAMES])
    out["tempo"] = r7(float(librosa.feature.tempo(y=y, sr=sr)[0]))
    return out




def main() -> int:
    fixtures = REPO_ROOT / "Tests" / "FeaturesTests" / "Fixtures"
    sig_dir = fixtures / "signals"
    sig_dir.mkdir(parents=True, exist_ok=True)

    signals = [
        ("a4-sine", to_int16(sig_a4_sine())),
        ("chirp", to_int16(sig_chirp())),
        ("noise-bursts", to_int16(sig_noise_bursts())),
        ("chord-decay", to_int16(sig_chord_decay())),
        ("silence-then-tone", to_int16(sig_silence_then_tone())),
    ]
    for src in ("piano-01", "dnb-01", "ambient-01"):
        pcm, sr = sf.read(REPO_ROOT / "SampleAudio" / f"{src}.flac", dtype="int16")
        assert sr == SR and pcm.ndim == 1
        signals.append((f"excerpt-{src}", pcm[: int(EXCERPT_SECONDS * SR)].copy()))

    entries = []
    for name, pcm in signals:
        assert len(pcm) <= EXCERPT_SECONDS * SR
        path = sig_dir / f"{name}.flac"
        sf.write(path, pcm, SR, subtype="PCM_16", format="FLAC", compression_level=1.0)
        back, _ = sf.read(path, dtype="int16")
        assert np.array_equal(back, pcm)
        entry = {"name": name, "file": f"signals/{name}.flac"}
        entry.update(features(path))
        entries.append(entry)
        print(f"{name}: {len(pcm)} samples, {entry['frameCount']} frames, tempo {entry['tempo']}")

    libraries = {"numpy": np.__version__, "scipy": scipy.__version__, "soundfile": sf.__version__,
                 "libsndfile": sf.__libsndfile_version__}
    doc = {
        "provenance": provenance("librosa", librosa.__version__, "scripts/make-reference-fixtures", libraries,
                                 parameters="sr=22050 (native), n_fft=2048, hop_length=512, center=True; "
                                            "arrays are frame-major; numbers rounded to 7 significant digits",
                                 calls=CALLS),
        "signals": entries,
    }
    text = fixture_json(doc) + "\n"
    json.loads(text)  # sanity
    return write_fixture(fixtures / "librosa-reference.json", text)


if __name__ == "__main__":
    sys.exit(main())
