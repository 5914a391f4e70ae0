"""Where the project's files live, so no module hard-codes a relative path."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPECS_DIR = PROJECT_ROOT / "specs"
OVERLAY_DIR = PROJECT_ROOT / "overlay"
GENERATED_DIR = PROJECT_ROOT / "generated"
# The npm tools segue runs (openapi-typescript, tsc): package.json, lock file, node_modules.
NODE_DIR = PROJECT_ROOT / "scripts" / "node"

VENDORS = ("kie", "udio")


def spec_path(vendor: str, spec_dir: Path | None = None) -> Path:
    """The spec file of one vendor (`kie` or `udio`), in `spec_dir` or the project's `specs/`."""
    return (spec_dir or SPECS_DIR) / f"{vendor}.openapi.yaml"
