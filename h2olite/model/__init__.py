"""Models and their metrics (h2o-py's ``h2o.model``)."""
from .confusion_matrix import ConfusionMatrix
from .metrics import (H2OAutoEncoderModelMetrics, H2OBinomialModelMetrics, H2ODefaultModelMetrics,
                      H2OMultinomialModelMetrics, H2ORegressionModelMetrics, MetricsBase)
from .model_base import ModelBase
from .models import H2OAutoEncoderModel, H2OBinomialModel, H2OMultinomialModel, H2ORegressionModel

__all__ = ["ModelBase", "MetricsBase", "ConfusionMatrix", "H2OBinomialModel", "H2OMultinomialModel",
           "H2ORegressionModel", "H2OAutoEncoderModel", "H2OBinomialModelMetrics", "H2OMultinomialModelMetrics",
           "H2ORegressionModelMetrics", "H2ODefaultModelMetrics", "H2OAutoEncoderModelMetrics"]
