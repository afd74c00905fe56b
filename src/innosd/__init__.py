"""innosd: will Tianjin's science-and-technology targets be met, when, and what would it take."""

__version__ = "0.1.0"
