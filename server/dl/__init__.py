"""Deep Learning: parameters, data preparation, Numba training kernels, trainer and model."""
