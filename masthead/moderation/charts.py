"""The dashboard charts now live in `masthead.core.charts` (the revenue dashboard draws them
too); this name stays for the moderation code and tests that import it."""

from masthead.core.charts import Series, bar_chart, hbar_chart, nice_max, share_bar

__all__ = ["Series", "bar_chart", "hbar_chart", "nice_max", "share_bar"]
