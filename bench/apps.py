from __future__ import annotations

from django.apps import AppConfig


class BenchConfig(AppConfig):
    # No models, hence no verbose name to show: an app only so that Django finds `bench`.
    name = "bench"
