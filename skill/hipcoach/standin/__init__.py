"""Stand-ins for Alexa and the device, for developers and tests: the local NLU (driven only by the
interaction model), real request envelopes, and the chat console. Never shipped to Lambda."""
