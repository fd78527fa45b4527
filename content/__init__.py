"""The Hip Coach knowledge base: YAML data only. This file just makes the folder locatable."""

from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent
