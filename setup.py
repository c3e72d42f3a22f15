"""Package discovery only (metadata is in pyproject.toml).

The backend's sources live in ``server/`` but install as ``h2olite_server``: a top-level
module named ``server`` would clash with anything else on a user's path.
"""
from setuptools import find_packages, setup

client = find_packages(include=["h2olite", "h2olite.*"])
backend = ["h2olite_server" + p[len("server"):] for p in find_packages(include=["server", "server.*"])]

setup(packages=client + backend, package_dir={"h2olite_server": "server"})
