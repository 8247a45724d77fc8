"""The admin's one branding setting, and loading it without ever stopping the server."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from traitlets import Unicode
from traitlets.config import LoggingConfigurable

from .spec import Brand, BrandSpecError, load_brand


@dataclass(frozen=True)
class BrandingState:
    """The outcome of loading the configured spec: a brand, or why there is none."""

    brand: Brand | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def policy(self) -> dict[str, Any]:
        """The ``IBrandingPolicy`` of ``src/branding/types.ts`` (``page_config_data``)."""
        return {
            "enabled": self.brand is not None,
            "branding": self.brand.published() if self.brand else None,
            "error": self.error,
            "warnings": list(self.warnings),
        }


class AtriumBranding(LoggingConfigurable):
    """Branding of JupyterLab and the login page, configured as ``c.AtriumBranding``."""

    spec_path = Unicode(
        "",
        config=True,
        help=(
            "Path of the brand spec (JSON, or YAML when it ends in .yaml/.yml), e.g. "
            "'/etc/atrium/brand.json'. Files it names must be in the same folder. Empty (the "
            "default): no branding. An invalid spec is logged and JupyterLab keeps its stock look."
        ),
    )

    def load(self) -> BrandingState:
        """Load the spec once; every failure becomes an ERROR log line and the stock look."""
        if not self.spec_path:
            return BrandingState()
        try:
            brand = load_brand(self.spec_path)
        except BrandSpecError as exc:
            self.log.error("Atrium branding is off: %s", exc.detail)
            return BrandingState(error=exc.message)
        except Exception:
            self.log.exception("Atrium branding is off: loading %s failed", self.spec_path)
            return BrandingState(
                error=(
                    f"The brand spec {self.spec_path} could not be loaded because of an "
                    "internal error; the server log has details."
                )
            )
        for warning in brand.warnings:
            self.log.warning("Atrium branding: %s", warning)
        self.log.info("Atrium branding: %r from %s", brand.name, self.spec_path)
        return BrandingState(brand=brand, warnings=list(brand.warnings))
