"""The web application's settings with the yardstick view of benchmarks/concurrent_saves.py."""

from chiso.web.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
