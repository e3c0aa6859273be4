"""copilot-metrics-assistant: ask questions about GitHub Copilot usage exports."""

__version__ = "0.1.0"
