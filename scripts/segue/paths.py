"""Where the project's files live, so no module hard-codes a relative path."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPECS_DIR = PROJECT_ROOT / "specs"
OVERLAY_DIR = PROJECT_ROOT / "overlay"
GENERATED_DIR = PROJECT_ROOT / "generated"

VENDORS = ("kie", "udio")


def spec_path(vendor: str, spec_dir: Path | None = None) -> Path:
    """The spec file of one vendor (`kie` or `udio`), in `spec_dir` or the project's `specs/`."""
    return (spec_dir or SPECS_DIR) / f"{vendor}.openapi.yaml"
