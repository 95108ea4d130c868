"""Wire copy models."""
