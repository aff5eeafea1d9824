"""A view is what a reader has picked: a user type, a product, a traffic type."""
from __future__ import annotations

from dataclasses import dataclass

from .design import Design


@dataclass(frozen=True)
class View:
    """Selection of flows to highlight; None means 'all'. Hashable, so results can be cached."""

    user_type: str | None = None
    product: str | None = None
    traffic_type: str | None = None

    def flows(self, design: Design):
        return design.select_flows(self.user_type, self.product, self.traffic_type)

    @property
    def is_everything(self) -> bool:
        return self.user_type is None and self.product is None and self.traffic_type is None

    def describe(self, design: Design) -> str:
        parts = [design.label(k) for k in (self.user_type, self.product, self.traffic_type) if k]
        return " · ".join(parts) if parts else "all flows"
