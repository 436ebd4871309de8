"""wa-audit: what your WhatsApp choices share with Meta, and what to change first."""

__version__ = "0.1.0"
