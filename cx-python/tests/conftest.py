import os

from hypothesis import settings

# CI runs many examples deterministically; locally the default profile stays quick.
settings.register_profile("ci", max_examples=300, derandomize=True, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
