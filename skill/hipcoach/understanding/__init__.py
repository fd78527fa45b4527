"""The skill's own understanding: the runner's whole words to what they did and said."""
