"""Shopscribe: an offline desktop studio for e-commerce marketing copy."""

__version__ = "0.1.0"
