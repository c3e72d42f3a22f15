"""A trained Deep Learning model: its network, data preparation and H2O-shaped outputs.

The model owns everything needed to score new frames (``DataInfo`` + ``Network``) and the
outputs H2O reports (model summary, scoring history, metrics, variable importances). It is
stored under its key and never mutated after training finished, except by the code that
trains it (checkpoint restarts build a new model).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import H2OError
from ..frames import ENUM, REAL, Column, Frame

LOG_LINK = ("poisson", "gamma", "tweedie")


def base_activation(activation: str) -> str:
    """``RectifierWithDropout`` -> ``Rectifier``."""
    return activation.replace("WithDropout", "")


@dataclass
class DeepLearningModel:
    key: str
    params: dict                       # effective parameters (what training used)
    input_params: dict                 # parameters as the user gave them (typed)
    data_info: object                  # dl.data_info.DataInfo
    net: object                        # dl.kernels.Network
    category: str                      # Binomial | Multinomial | Regression | AutoEncoder
    training_frame: str = ""
    validation_frame: str | None = None
    scoring_history: list = field(default_factory=list)
    training_metrics: dict | None = None
    validation_metrics: dict | None = None
    cross_validation_metrics: dict | None = None
    cross_validation_metrics_summary: dict | None = None
    cross_validation_models: list = field(default_factory=list)
    cross_validation_predictions: list = field(default_factory=list)
    cross_validation_holdout_predictions: str | None = None
    cross_validation_fold_assignment: str | None = None
    cv_scoring_history: list = field(default_factory=list)
    variable_importances: list | None = None
    default_threshold: float = 0.5
    prior_class_dist: np.ndarray | None = None
    model_class_dist: np.ndarray | None = None
    processed: int = 0                 # rows trained on (processed_global)
    iterations: int = 0
    training_rows: int = 0
    epoch_counter: float = 0.0
    total_train_ms: float = 0.0        # wall time spent training (for training_speed)
    total_score_ms: float = 0.0
    checkpointed_ms: float = 0.0       # run time of the models this one continues (H2O's
                                       # total_checkpointed_run_time_ms: history durations go on)
    score_keepers: list | None = None  # per history row: {stopping metric: value} (H2O's
                                       # ScoreKeepers; a restart stops on the whole history)
    missing_cats_seen: list | None = None   # per one-hot predictor: an NA met in training rows
                                            # (else its NA slot's variable importance is 0)
    param_overrides: dict = field(default_factory=dict)   # parameters H2O itself set for this model
                                                          # (cross-validation), reported as actual
    start_time: int = field(default_factory=lambda: int(time.time() * 1000))
    end_time: int | None = None
    status: str = "RUNNING"
    warnings: list = field(default_factory=list)
    weight_keys: list = field(default_factory=list)
    bias_keys: list = field(default_factory=list)

    # ------------------------------------------------------------------------------------
    @property
    def is_classifier(self) -> bool:
        return self.category in ("Binomial", "Multinomial")

    @property
    def is_autoencoder(self) -> bool:
        return self.category == "AutoEncoder"

    @property
    def response_column(self) -> str | None:
        return self.params.get("response_column")

    def owned_keys(self) -> list[str]:
        keys = list(self.cross_validation_models) + list(self.cross_validation_predictions)
        keys += [k for k in (self.cross_validation_holdout_predictions,
                             self.cross_validation_fold_assignment) if k]
        return keys + list(self.weight_keys) + list(self.bias_keys)

    # --- scoring -------------------------------------------------------------------------
    def offset_for(self, frame: Frame) -> np.ndarray | None:
        """The offset in the network's link space, or None without an offset column."""
        name = self.params.get("offset_column")
        if not name:
            return None
        if not frame.has(name):
            raise H2OError(f"Offset column '{name}' is missing from frame '{frame.key}'", column=name)
        off = np.nan_to_num(frame.col(name).as_float()).astype(np.float32)
        if self.params["distribution"] not in LOG_LINK:
            off = off * np.float32(self.data_info.resp_mul)
        return off

    def raw_outputs(self, X: np.ndarray, offset: np.ndarray | None = None, net=None,
                    threads: int = 1) -> np.ndarray:
        """Network outputs post-processed to H2O's prediction space.

        Classifiers: class probabilities (with the balance_classes prior correction);
        regression: predictions in response units; autoencoder: the reconstruction in the
        transformed (normalized) input space.
        """
        net = net or self.net
        out = net.predict(X, offset, threads)
        if self.is_classifier:
            probs = out.astype(np.float64)
            if self.prior_class_dist is not None and self.model_class_dist is not None:
                probs = probs * (self.prior_class_dist / self.model_class_dist)[None, :]
                probs /= probs.sum(axis=1, keepdims=True)
            return probs
        if self.is_autoencoder:
            return out
        pred = out[:, 0].astype(np.float64)
        if self.params["distribution"] in LOG_LINK:
            return np.minimum(np.exp(pred), 1e19)
        return pred / self.data_info.resp_mul + self.data_info.resp_sub

    def labels(self, probs: np.ndarray) -> np.ndarray:
        """Predicted class index: max-F1 threshold for binomial, argmax otherwise."""
        if self.category == "Binomial":
            return (probs[:, 1] >= self.default_threshold).astype(np.int32)
        return probs.argmax(axis=1).astype(np.int32)

    def predict_frame(self, frame: Frame) -> Frame:
        """The prediction frame H2O returns (``predict`` + per-class probabilities, etc.)."""
        di = self.data_info
        X = di.expand(frame)
        out = self.raw_outputs(X, self.offset_for(frame))
        if self.is_classifier:
            domain = tuple(di.response_domain)
            cols = [Column("predict", ENUM, self.labels(out), domain)]
            cols += [Column(probability_column_name(level), REAL, out[:, k].astype(np.float64))
                     for k, level in enumerate(domain)]
            return Frame(cols)
        if self.is_autoencoder:
            recon = self.unscale_reconstruction(out)
            return Frame([Column(f"reconstr_{n}", REAL, recon[:, i])
                          for i, n in enumerate(di.coef_names)])
        return Frame([Column("predict", REAL, out)])

    def unscale_reconstruction(self, recon: np.ndarray) -> np.ndarray:
        """Numeric units back to original units (``v/normMul + normSub``); one-hot units raw."""
        di = self.data_info
        recon = recon.astype(np.float64)
        n_num = len(di.norm_mul)
        if n_num:
            num = slice(di.n_inputs - n_num, di.n_inputs)
            recon[:, num] = recon[:, num] / np.asarray(di.norm_mul)[None, :] + np.asarray(di.norm_sub)[None, :]
        return recon

    def reconstruction_error(self, frame: Frame, per_feature: bool = False) -> Frame:
        """``anomaly``: per-row MSE (or per-unit squared error) in the normalized space."""
        if not self.is_autoencoder:
            raise H2OError("Reconstruction error is only available for autoencoder models "
                           f"('{self.key}' is a {self.category} model)")
        X = self.data_info.expand(frame)
        se = (self.net.predict(X).astype(np.float64) - X) ** 2
        if per_feature:
            return Frame([Column(f"reconstr_{n}.SE", REAL, se[:, i])
                          for i, n in enumerate(self.data_info.coef_names)])
        return Frame([Column("Reconstruction.MSE", REAL, se.mean(axis=1))])

    def deep_features(self, frame: Frame, layer: int) -> Frame:
        hidden = self.params["hidden"]
        if not 0 <= layer < len(hidden):
            raise H2OError(f"deep_features_hidden_layer must be between 0 and {len(hidden) - 1} "
                           f"(the model has {len(hidden)} hidden layers), got {layer}")
        acts = self.net.hidden_activations(self.data_info.expand(frame), layer)
        return Frame([Column(f"DF.L{layer + 1}.C{j + 1}", REAL, acts[:, j].astype(np.float64))
                      for j in range(acts.shape[1])])


def probability_column_name(level: str) -> str:
    """H2O prefixes integer-looking class labels with ``p`` (``p0``..``p9``)."""
    try:
        int(level)
        return f"p{level}"
    except ValueError:
        return level
