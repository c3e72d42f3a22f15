"""H2OFrame (in progress)."""


class H2OFrame:
    pass
