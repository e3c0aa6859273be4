"""What one file's loader is given: the file, its layout, the import number, who it belongs to, and its warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from assistant.semantic.catalog import COUNTERS

MAX_LISTED = 5  # warnings of one kind named one by one; the rest are counted


@dataclass(frozen=True)
class Owner:
    """The organization or enterprise a file belongs to when the file itself does not say."""

    kind: str  # "organization" or "enterprise"
    name: str


@dataclass
class Job:
    path: Path
    layout: str
    import_id: int
    owner: Owner | None = None
    warnings: list[str] = field(default_factory=list)
    _negatives: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def check_counters(self, obj: Mapping[str, Any], where: str, keys: Iterable[str] = COUNTERS) -> None:
        """Note every counter of `obj` below zero, naming where in the file it is."""
        for key in keys:
            v = obj.get(key)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v < 0:
                self._negatives.append(f"{where}: '{key}' is {v}")

    def finish(self) -> list[str]:
        """The warnings, with negative counters summarised (they are impossible, but loaded as given)."""
        out = list(self.warnings)
        if self._negatives:
            out.append(negatives_warning(self.path, self._negatives, len(self._negatives)))
        return out


def negatives_warning(path: Path, found: list[str], total: int) -> str:
    shown = "; ".join(found[:MAX_LISTED])
    more = f"; and {total - MAX_LISTED} more" if total > MAX_LISTED else ""
    return (
        f"{path}: {total} negative counter value{'s' if total != 1 else ''} (impossible; loaded as given, "
        f"check the export): {shown}{more}"
    )
