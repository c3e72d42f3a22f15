"""H2ODeepLearningEstimator and H2OAutoEncoderEstimator.

Every keyword argument and read/write property is generated from the server's parameter table
(``h2olite_server.dl.parameters.PARAMETERS``), so the client can never drift from what the
backend accepts: same names, same defaults, same enum values. Values are checked here against
their H2O type (enum values case-insensitively, ignoring non-letters, as h2o-py does) and are
sent as the user typed them; the server does the deeper validation.
"""
from __future__ import annotations

import copy
import inspect
import numbers
import re

from h2olite_server.dl.parameters import PARAMETERS

from ..exceptions import H2OTypeError, H2OValueError
from ..model.model_base import ModelBase
from .estimator_base import H2OEstimator

_SPECS = {p.name: p for p in PARAMETERS}


def _norm_enum(s: str) -> str:
    return re.sub("[^a-z]", "", s.lower())


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _is_num(v):
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _is_frame(v):
    return isinstance(v, str) or (hasattr(v, "frame_id") and not isinstance(v, ModelBase))


def _type_error(name, value, expected):
    return H2OTypeError(var_name=name, var_value=value, var_type_name=type(value).__name__,
                        exp_type_name=expected)


def check_param(spec, value):
    """``value`` checked against the H2O type of ``spec``; returns the value to store."""
    if value is None:
        return None
    name, t = spec.name, spec.type
    if t in ("int", "long"):
        if _is_num(value) and float(value).is_integer():
            return int(value)
        raise _type_error(name, value, "an integer")
    if t in ("double", "float"):
        if _is_num(value):
            return value
        raise _type_error(name, value, "a number")
    if t == "boolean":
        if isinstance(value, bool) or type(value).__name__ == "bool_":
            return bool(value)
        raise _type_error(name, value, "True or False")
    if t == "enum":
        allowed = spec.client_values or spec.values
        if isinstance(value, str) and _norm_enum(value) in {_norm_enum(v) for v in allowed}:
            return value
        raise H2OValueError("Parameter `%s` must be one of %s, got %r" % (name, ", ".join(map(repr, allowed)), value),
                            var_name=name)
    if t in ("int[]", "double[]", "float[]"):
        if isinstance(value, (list, tuple)):
            if t == "int[]" and all(_is_num(v) and float(v).is_integer() for v in value):
                return [int(v) for v in value]
            if t != "int[]" and all(_is_num(v) for v in value):
                return list(value)
        raise _type_error(name, value, "a list of integers" if t == "int[]" else "a list of numbers")
    if t == "string":
        if isinstance(value, str):
            return value
        raise _type_error(name, value, "a string")
    if t == "string[]":
        if isinstance(value, str):
            return [value]
        if isinstance(value, (list, tuple)) and all(isinstance(v, (str, numbers.Integral)) for v in value):
            return list(value)
        raise _type_error(name, value, "a list of column names")
    if t == "VecSpecifier":
        if isinstance(value, str) or _is_int(value):
            return value
        raise _type_error(name, value, "a column name")
    if t == "Key<Frame>":
        if _is_frame(value):
            return value
        raise _type_error(name, value, "an H2OFrame or a frame id")
    if t == "Key<Model>":
        if isinstance(value, (str, ModelBase)):
            return value
        raise _type_error(name, value, "a model or a model id")
    if t == "Key<Frame>[]":
        if isinstance(value, (list, tuple)) and all(v is None or _is_frame(v) for v in value):
            return list(value)
        raise _type_error(name, value, "a list of H2OFrames or frame ids")
    return value


def _make_property(spec):
    def getter(self):
        return self._parms.get(spec.name)

    def setter(self, value):
        self._parms[spec.name] = check_param(spec, value)

    return property(getter, setter, doc="%s\n\nType: %s; default: %r." % (spec.help, spec.type, spec.json_default()))


class H2ODeepLearningEstimator(H2OEstimator):
    """Deep Learning: a feed-forward network trained with per-sample SGD (HOGWILD!) on the backend.

    Every H2O-3 Deep Learning parameter is a keyword argument and a property (``m.epochs = 5``).
    """

    algo = "deeplearning"
    supervised_learning = True
    _algo_name = "deeplearning"

    def __init__(self, **kwargs):
        super().__init__()
        unknown = [k for k in kwargs if k not in _SPECS]
        if unknown:
            raise H2OValueError("Unknown parameter%s for %s: %s" % ("s" if len(unknown) > 1 else "",
                                                                      type(self).__name__, ", ".join(unknown)),
                                var_name=unknown[0])
        for spec in PARAMETERS:
            value = kwargs[spec.name] if spec.name in kwargs else copy.deepcopy(spec.json_default())
            self._set_param(spec.name, value)

    def _set_param(self, name, value):
        spec = _SPECS.get(name)
        if spec is None:
            raise H2OValueError("Unknown parameter for %s: %s" % (type(self).__name__, name), var_name=name)
        self._parms[name] = check_param(spec, value)

    # model_id is both a parameter (before training) and the model's key (after)
    @property
    def model_id(self):
        """The model's key; before training, the requested destination id (or None)."""
        if self._model_json is None:
            mid = self._parms.get("model_id")
            return mid.model_id if isinstance(mid, ModelBase) else mid
        return self._id

    @model_id.setter
    def model_id(self, newid):
        if self._model_json is None:
            self._set_param("model_id", newid)
        else:
            ModelBase.model_id.fset(self, newid)


for _spec in PARAMETERS:
    if _spec.name != "model_id":
        setattr(H2ODeepLearningEstimator, _spec.name, _make_property(_spec))


class H2OAutoEncoderEstimator(H2ODeepLearningEstimator):
    """Deep Learning auto-encoder: unsupervised (``autoencoder=True``; ``y`` is ignored)."""

    supervised_learning = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.autoencoder = True


def _signature():
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    params += [inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=p.json_default())
               for p in PARAMETERS]
    return inspect.Signature(params)


H2ODeepLearningEstimator.__init__.__signature__ = _signature()
H2OAutoEncoderEstimator.__init__.__signature__ = _signature()
