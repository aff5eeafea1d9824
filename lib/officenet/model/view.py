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
    flow: str | None = None  # one flow, for a trace

    def flows(self, design: Design):
        selected = design.select_flows(self.user_type, self.product, self.traffic_type)
        if self.flow is not None:
            design.get("flows", self.flow)
            selected = tuple(f for f in selected if f.id == self.flow)
        return selected

    @property
    def is_everything(self) -> bool:
        return self.user_type is None and self.product is None and self.traffic_type is None and self.flow is None

    def describe(self, design: Design) -> str:
        parts = [design.label(k) for k in (self.user_type, self.product, self.traffic_type) if k]
        if self.flow:
            parts.append(f"flow {self.flow}")
        return " · ".join(parts) if parts else "all flows"
