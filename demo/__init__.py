"""The demo (make demo)."""
