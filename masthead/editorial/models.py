"""Editorial desk models."""
