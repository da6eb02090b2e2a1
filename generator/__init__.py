"""Connectory: a static-site generator for community member directories."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("connectory")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
