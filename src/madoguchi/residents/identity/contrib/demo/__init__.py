"""The demo identity provider: fixed facts, clearly marked デモ (example city, tests)."""

from madoguchi.residents.identity.contrib.demo.plugin import DemoProvider

__all__ = ["DemoProvider"]
