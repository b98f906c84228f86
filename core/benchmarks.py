"""Benchmarks that apps register, run by `manage.py benchmark NAME` (never timed in tests)."""

from collections.abc import Callable

Benchmark = Callable[..., list[str]]
_benchmarks: dict[str, tuple[Benchmark, str]] = {}


def register_benchmark(name: str, help_text: str) -> Callable[[Benchmark], Benchmark]:
    def register(benchmark: Benchmark) -> Benchmark:
        _benchmarks[name] = (benchmark, help_text)
        return benchmark

    return register


def benchmarks() -> dict[str, tuple[Benchmark, str]]:
    return dict(_benchmarks)
