"""Estimators: ``from h2olite.estimators import H2ODeepLearningEstimator``."""
from .deeplearning import H2OAutoEncoderEstimator, H2ODeepLearningEstimator
from .estimator_base import H2OEstimator

__all__ = ["H2OEstimator", "H2ODeepLearningEstimator", "H2OAutoEncoderEstimator"]
