"""Masthead: an open-source news publishing platform for independent newsrooms."""

__version__ = "0.1.0"
