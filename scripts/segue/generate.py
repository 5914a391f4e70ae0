"""`segue generate`: everything under generated/, from specs/ and overlay/, byte-identical each run.

What it writes (DESIGN.md, "The single source"):

    generated/openapi/<bundle>.json         bundled, overlaid specs other languages consume
    generated/openapi/python/<vendor>.json  the same with the vendor's Python overlay: the exact
                                            input both Python generators got (kept so a reviewer
                                            sees what the generators saw, and can rerun them)
    generated/python/<vendor>/              one installable SDK distribution per vendor
                                            (pyproject.toml; `segue.sdk.build` adds the facade):
        <vendor>_client/                    openapi-python-client 0.29.1 (sync + async, attrs)
                                            + the spec-derived facade, errors, webhooks
        <vendor>_models/                    datamodel-code-generator pydantic v2 models, every
                                            component schema incl. the callback payloads
    generated/typescript/<bundle>.d.ts      openapi-typescript types of each bundle

Everything is first generated into a temporary work folder; `generate` then mirrors that tree
into the output folder, and `check` compares it with the output folder instead. The work folder
has its own ruff.toml, so the generated Python is formatted the same way on every machine
whatever ruff configuration the caller has, and no generator runs in the project (where
pyproject.toml would configure datamodel-code-generator and ruff differently).

The generators are separate programs of this environment and of node_modules, run as
subprocesses in parallel: they are slow to import (~1 s each) and independent of each other.
"""

from __future__ import annotations

import contextlib
import filecmp
import io
import json
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from segue.bundle import BundleError, load_bundle, write_json
from segue.overlay import OverlayError, apply_overlays
from segue.paths import GENERATED_DIR, NODE_DIR, OVERLAY_DIR, PROJECT_ROOT, SPECS_DIR, spec_path
from segue.sdk import build as sdk_build


@dataclass(frozen=True)
class Bundle:
    """One generated/openapi/<name>.json (a vendor spec with brand overlays) and its TS types.

    `typescript_overlay` adapts the bundle for openapi-typescript only; that input is not kept.
    """

    name: str
    vendor: str
    overlays: tuple[str, ...] = ()
    typescript_overlay: str | None = None


@dataclass(frozen=True)
class PythonSdk:
    """The Python client and models of one vendor, generated from its bundle + codegen overlay."""

    vendor: str
    overlay: str
    # Names openapi-python-client picks that no `title` in the overlay can fix (see the config).
    class_overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    # The bundle it is generated from (a brand flavour: `kie-sunoapi`); default: the vendor's.
    bundle: str | None = None

    @property
    def bundle_name(self) -> str:
        return self.bundle or self.vendor

    @property
    def distribution(self) -> sdk_build.Distribution:
        return sdk_build.Distribution(self.vendor, self.client_package, self.models_package)

    @property
    def client_package(self) -> str:
        return f"{self.vendor}_client"

    @property
    def models_package(self) -> str:
        return f"{self.vendor}_models"


BUNDLES = (
    Bundle("kie", "kie", typescript_overlay="kie-typescript.yaml"),
    Bundle("kie-sunoapi", "kie", ("kie-sunoapi.yaml",), typescript_overlay="kie-typescript.yaml"),
    Bundle("udio", "udio", typescript_overlay="udio-typescript.yaml"),
)

PYTHON_SDKS = (
    PythonSdk(
        "kie",
        "kie-python.yaml",
        # TaskErrorCode is `enum: [400, …, null]` without a type; the generator splits it into
        # None | TaskErrorCodeType1, and a title does not reach the enum half.
        class_overrides={
            "TaskErrorCodeType1": {"class_name": "TaskErrorCode", "module_name": "task_error_code"}
        },
    ),
    PythonSdk(
        "udio",
        "udio-python.yaml",
        # Inline enums keep their path prefix even with a title; the models' names are shorter.
        class_overrides={
            "GenerateSongRequestVocalGender": {
                "class_name": "VocalGender",
                "module_name": "vocal_gender",
            },
            "ExtendSongRequestClipIndex": {"class_name": "ClipIndex", "module_name": "clip_index"},
        },
    ),
)

# ruff settings for all generated Python, written into the work folder (see module docstring).
RUFF_TOML = """\
line-length = 100
target-version = "py311"

[lint]
extend-select = ["I"]
"""

GENERATED_README = """\
# generated/ — written by `segue generate`, never by hand

Edit `specs/` or `overlay/`, then run `uv run segue generate`; `uv run segue generate --check`
fails when this folder differs from what the specs produce.

- `openapi/<name>.json`: the bundled specs any language generates from (`specs/` plus brand
  overlays; `kie-sunoapi` is the sunoapi.org flavour of KIE).
- `openapi/python/<vendor>.json`: the input of the Python generators (the bundle plus
  `overlay/<vendor>-python.yaml`).
- `python/<vendor>/`: the vendor's SDK, one distribution (`pip install generated/python/kie`):
  `<vendor>_client` (the facade `Kie`/`Udio` with typed errors, preflight, retries, `Task.wait`,
  `webhooks`; and the low-level HTTP client, sync and async, from openapi-python-client) and
  `<vendor>_models` (pydantic v2 models of every schema, callbacks included;
  datamodel-code-generator).
- `typescript/<name>.d.ts`: TypeScript types of each bundle (openapi-typescript).
"""

# Files that tools leave beside generated code and that are never part of the comparison.
IGNORED_NAMES = frozenset({"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"})
IGNORED_SUFFIXES = (".pyc",)

SUBPROCESS_TIMEOUT_S = 180

# npm packages generation runs (pinned in package.json / package-lock.json).
NODE_TOOLS = ("openapi-typescript", "typescript")


class GenerateError(Exception):
    """Generation failed; the message names the step and carries the tool's own output."""


@dataclass(frozen=True)
class Sources:
    """Where generation reads from; tests point these at copies."""

    spec_dir: Path = SPECS_DIR
    overlay_dir: Path = OVERLAY_DIR
    node_root: Path = NODE_DIR  # holds package.json and node_modules


# --------------------------------------------------------------------------- entry points


def generate_command(check: bool, out: Path | None) -> int:
    """The CLI: write (or with `check`, compare) the generated tree; 0 on success, 1 otherwise."""
    out_dir = (out or GENERATED_DIR).resolve()
    try:
        if check:
            problems = check_tree(out_dir)
            for line in problems:
                print(line, file=sys.stderr)
            if problems:
                print(
                    f"{_shown(out_dir)} is out of date ({len(problems)} file(s)): "
                    "run `uv run segue generate` and commit the result",
                    file=sys.stderr,
                )
                return 1
            print(f"{_shown(out_dir)} is up to date")
            return 0
        changed = generate_tree(out_dir)
        print(f"{_shown(out_dir)}: {len(changed)} file(s) written or removed")
        for line in changed:
            print(f"  {line}")
        return 0
    except GenerateError as error:
        print(f"segue generate: {error}", file=sys.stderr)
        return 1


def generate_tree(out_dir: Path, sources: Sources = Sources()) -> list[str]:
    """Regenerate into `out_dir`; return what changed ("written: path", "removed: path")."""
    _refuse_foreign_folder(out_dir)
    with tempfile.TemporaryDirectory(prefix="segue-generate-") as work:
        fresh = build_tree(Path(work), sources)
        return mirror_tree(fresh, out_dir)


def check_tree(out_dir: Path, sources: Sources = Sources()) -> list[str]:
    """Regenerate into a temporary folder; return one line per drifted, missing or extra file."""
    with tempfile.TemporaryDirectory(prefix="segue-generate-check-") as work:
        fresh = build_tree(Path(work), sources)
        return compare_trees(fresh, out_dir)


# --------------------------------------------------------------------------- building


def build_tree(work_root: Path, sources: Sources = Sources()) -> Path:
    """Generate everything into `work_root/generated` and return that folder."""
    out = work_root / "generated"
    (work_root / "ruff.toml").write_text(RUFF_TOML, encoding="utf-8")
    (out / "README.md").parent.mkdir(parents=True)
    (out / "README.md").write_text(GENERATED_README, encoding="utf-8")

    bundles = {bundle.name: _write_bundle(bundle, out, sources) for bundle in BUNDLES}
    for bundle in BUNDLES:
        _write_typescript_input(bundle, bundles[bundle.name], work_root, sources)
    python_inputs = {
        sdk.vendor: _write_python_input(sdk, bundles[sdk.bundle_name], out, sources)
        for sdk in PYTHON_SDKS
    }
    _ensure_node_tools(sources.node_root)

    # The subprocess generators run on threads while openapi-python-client runs in-process.
    background: list[Callable[[], None]] = [
        lambda: _run_openapi_typescript(work_root, out, sources.node_root),
        *(lambda sdk=sdk: _run_datamodel_codegen(sdk, work_root, out) for sdk in PYTHON_SDKS),
    ]
    with ThreadPoolExecutor(max_workers=len(background)) as pool:
        futures = [pool.submit(job) for job in background]
        for sdk in PYTHON_SDKS:
            _run_openapi_python_client(sdk, work_root, out)
        for future in futures:
            future.result()  # re-raises the job's GenerateError

    for sdk in PYTHON_SDKS:
        _write_sdk_layer(sdk, bundles[sdk.bundle_name], out)
    _format_python(work_root, out / "python")
    for sdk in PYTHON_SDKS:
        _check_client_kept_every_schema(sdk, python_inputs[sdk.vendor], out)
    _remove_ignored(out)
    _check_portable(out, forbidden=[str(work_root), str(PROJECT_ROOT)])
    _check_python_compiles(out / "python")
    return out


def _sdk_dir(sdk: PythonSdk, out: Path) -> Path:
    """The vendor's distribution folder: generated/python/<vendor>/."""
    return out / "python" / sdk.vendor


def _write_sdk_layer(sdk: PythonSdk, bundle: dict[str, Any], out: Path) -> None:
    """The facade and the packaging around the generators' two packages (`segue.sdk.build`)."""
    root = _sdk_dir(sdk, out)
    try:
        sdk_build.write_distribution(sdk.distribution, bundle, root)
    except sdk_build.BuildError as error:
        raise GenerateError(f"SDK {sdk.vendor}: {error}") from None
    for package in (sdk.client_package, sdk.models_package):
        (root / package / "py.typed").write_text("", encoding="utf-8")


def build_python_sdk(sdk: PythonSdk, work_root: Path, sources: Sources = Sources()) -> Path:
    """One SDK distribution alone (e.g. a brand flavour), under `work_root`; its folder.

    The same steps as `build_tree` takes for each SDK, in sequence.
    """
    out = work_root / "generated"
    (work_root / "ruff.toml").write_text(RUFF_TOML, encoding="utf-8")
    vendor_bundle = next(b for b in BUNDLES if b.name == sdk.bundle_name)
    bundle = _write_bundle(vendor_bundle, out, sources)
    python_input = _write_python_input(sdk, bundle, out, sources)
    _run_datamodel_codegen(sdk, work_root, out)
    _run_openapi_python_client(sdk, work_root, out)
    _write_sdk_layer(sdk, bundle, out)
    _format_python(work_root, out / "python")
    _check_client_kept_every_schema(sdk, python_input, out)
    return _sdk_dir(sdk, out)


def _write_bundle(bundle: Bundle, out: Path, sources: Sources) -> dict[str, Any]:
    overlays = [sources.overlay_dir / name for name in bundle.overlays]
    try:
        document = load_bundle(spec_path(bundle.vendor, sources.spec_dir), overlays)
    except BundleError as error:
        raise GenerateError(f"bundle {bundle.name}: {error}") from None
    write_json(out / "openapi" / f"{bundle.name}.json", document)
    return document


def _write_typescript_input(
    bundle: Bundle, document: dict[str, Any], work_root: Path, sources: Sources
) -> None:
    overlays = (
        [sources.overlay_dir / bundle.typescript_overlay] if bundle.typescript_overlay else []
    )
    try:
        adapted = apply_overlays(document, overlays)
    except OverlayError as error:
        raise GenerateError(f"typescript input {bundle.name}: {error}") from None
    write_json(work_root / "typescript-input" / f"{bundle.name}.json", adapted)


def _write_python_input(
    sdk: PythonSdk, bundle: dict[str, Any], out: Path, sources: Sources
) -> dict[str, Any]:
    try:
        document = apply_overlays(bundle, [sources.overlay_dir / sdk.overlay])
    except OverlayError as error:
        raise GenerateError(f"python input {sdk.vendor}: {error}") from None
    write_json(out / "openapi" / "python" / f"{sdk.vendor}.json", document)
    return document


def _run_openapi_python_client(sdk: PythonSdk, work_root: Path, out: Path) -> None:
    """openapi-python-client as a library: its import alone takes ~1.5 s, paid once for all SDKs.

    Any error or warning it reports fails generation (what `--fail-on-warning` does on its CLI):
    a warning means an operation or response was left out of the client.
    """
    from openapi_python_client import generate as generate_client
    from openapi_python_client.config import Config, ConfigFile, MetaType

    config_file = ConfigFile(
        project_name_override=sdk.client_package.replace("_", "-"),
        package_name_override=sdk.client_package,
        # Inline schemas named by their overlay `title` alone (TaskClips, not
        # MusicTaskDetailsTaskClips).
        use_path_prefixes_for_title_model_names=False,
        # Formatting is done once for all generated Python by _format_python.
        post_hooks=[],
        class_overrides=sdk.class_overrides,  # type: ignore[arg-type]  # pydantic coerces dicts
    )
    config = Config.from_sources(
        config_file,
        MetaType.NONE,
        document_source=out / "openapi" / "python" / f"{sdk.vendor}.json",
        file_encoding="utf-8",
        overwrite=True,
        output_path=_sdk_dir(sdk, out) / sdk.client_package,
    )
    with contextlib.redirect_stdout(io.StringIO()):  # "Generating <absolute path>"
        errors = generate_client(config=config)
    if errors:
        details = "\n\n".join(f"{e.level.value}: {e.header}\n{e.detail or ''}" for e in errors)
        raise GenerateError(f"openapi-python-client ({sdk.vendor}) reported:\n{details}")


def _run_datamodel_codegen(sdk: PythonSdk, work_root: Path, out: Path) -> None:
    package = _sdk_dir(sdk, out) / sdk.models_package
    package.mkdir(parents=True, exist_ok=True)
    _run(
        f"datamodel-codegen ({sdk.vendor})",
        [
            _venv_tool("datamodel-codegen"),
            "--input",
            f"generated/openapi/python/{sdk.vendor}.json",
            "--input-file-type",
            "openapi",
            "--output",
            f"generated/python/{sdk.vendor}/{sdk.models_package}/__init__.py",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--target-python-version",
            "3.11",
            "--disable-timestamp",
            "--formatters",
            "ruff-check",
            "ruff-format",
            # Inline objects take the names the overlay's `title`s give (TaskClips, not Response).
            "--use-title-as-name",
            "--use-annotated",
            "--use-schema-description",
            "--use-field-description",
            # An enum default is the member (`Model.chirp_v3_5`), not a str that mypy rejects.
            "--deserialize-default-values",
            "enum",
            # Unresolvable refs are an error, not a silent `Any`.
            "--strict-refs",
        ],
        cwd=work_root,  # the work folder's ruff.toml, and no pyproject.toml to pick up
    )


def _run_openapi_typescript(work_root: Path, out: Path, node_root: Path) -> None:
    """One openapi-typescript run for every bundle (node's start-up costs ~2 s per run)."""
    apis = {
        bundle.name: {
            "root": f"./typescript-input/{bundle.name}.json",
            "x-openapi-ts": {"output": f"./generated/typescript/{bundle.name}.d.ts"},
        }
        for bundle in BUNDLES
    }
    redocly_config = work_root / "redocly.yaml"
    redocly_config.write_text(
        json.dumps({"apis": apis}, indent=2), encoding="utf-8"
    )  # JSON is YAML
    (out / "typescript").mkdir(parents=True, exist_ok=True)
    _run(
        "openapi-typescript",
        [
            "npx",
            "--no-install",
            "openapi-typescript",
            "--redocly",
            str(redocly_config),
            # A `default` must not make a request field required (Udio's custom_mode).
            "--default-non-nullable",
            "false",
            # `type: object` without properties is any object, not `Record<string, never>`.
            "--empty-objects-unknown",
        ],
        cwd=node_root,
    )
    missing = [b.name for b in BUNDLES if not (out / "typescript" / f"{b.name}.d.ts").is_file()]
    if missing:
        raise GenerateError(f"openapi-typescript wrote no types for: {', '.join(missing)}")


def _format_python(work_root: Path, python_dir: Path) -> None:
    ruff = _venv_tool("ruff")
    config = str(work_root / "ruff.toml")
    target = str(python_dir)
    _run("ruff check", [ruff, "check", "--config", config, "--fix-only", target], cwd=work_root)
    _run("ruff format", [ruff, "format", "--config", config, target], cwd=work_root)


def _ensure_node_tools(node_root: Path) -> None:
    """`npm ci` when node_modules lacks the versions package-lock.json pins (fresh clone, CI).

    A stale node_modules (another openapi-typescript) would generate other types and make
    `--check` report drift that is not in the specs.
    """
    if _node_tools_match_lock(node_root):
        return
    if shutil.which("npm") is None:
        raise GenerateError(
            "npm is not installed: the TypeScript types (generated/typescript) need node and npm"
        )
    _run("npm ci", ["npm", "ci", "--no-audit", "--no-fund"], cwd=node_root)
    if not _node_tools_match_lock(node_root):
        raise GenerateError("npm ci did not install the versions package-lock.json pins")


def _node_tools_match_lock(node_root: Path) -> bool:
    try:
        lock = json.loads((node_root / "package-lock.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise GenerateError(f"cannot read {node_root / 'package-lock.json'}: {error}") from None
    for tool in NODE_TOOLS:
        locked = lock.get("packages", {}).get(f"node_modules/{tool}", {}).get("version")
        try:
            installed = json.loads(
                (node_root / "node_modules" / tool / "package.json").read_text(encoding="utf-8")
            ).get("version")
        except (OSError, ValueError):
            return False
        if locked is None or installed != locked:
            return False
    return True


# --------------------------------------------------------------------------- checks


def _check_client_kept_every_schema(sdk: PythonSdk, document: dict[str, Any], out: Path) -> None:
    """Fail when openapi-python-client dropped a component schema without a warning.

    It does that to an object that `allOf`s a schema it cannot treat as an object (measured:
    MusicCallback vanished, exit code 0, no message). Every object or enum schema must have
    its module; arrays, unions and plain types legitimately have none.
    """
    from openapi_python_client.strings import snake_case  # the generator's own module naming

    overridden = {o.get("module_name") for o in sdk.class_overrides.values()}
    models_dir = _sdk_dir(sdk, out) / sdk.client_package / "models"
    dropped = [
        name
        for name, schema in document.get("components", {}).get("schemas", {}).items()
        if _is_model_schema(schema)
        and not (models_dir / f"{snake_case(name)}.py").is_file()
        and snake_case(name) not in overridden
    ]
    if dropped:
        raise GenerateError(
            f"openapi-python-client silently dropped {', '.join(dropped)} "
            f"(input generated/openapi/python/{sdk.vendor}.json): extend overlay/{sdk.overlay}"
        )


def _is_model_schema(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    return (
        schema.get("type") == "object"
        or "properties" in schema
        or "allOf" in schema
        or "enum" in schema
    )


def _check_portable(out: Path, forbidden: Sequence[str]) -> None:
    """No generated file may mention where it was generated (absolute paths break --check)."""
    for path in _files(out):
        text = path.read_text(encoding="utf-8", errors="replace")
        for needle in forbidden:
            if needle and needle in text:
                raise GenerateError(f"{path.relative_to(out.parent)} contains the path {needle}")


def _check_python_compiles(python_dir: Path) -> None:
    """openapi-python-client can emit invalid Python (DESIGN.md); catch it here, by file."""
    with tempfile.TemporaryDirectory() as scratch:
        for path in sorted(python_dir.rglob("*.py")):
            try:
                py_compile.compile(str(path), cfile=str(Path(scratch) / "x.pyc"), doraise=True)
            except py_compile.PyCompileError as error:
                raise GenerateError(f"generated Python does not compile: {error.msg}") from None


# --------------------------------------------------------------------------- trees


def compare_trees(expected: Path, actual: Path) -> list[str]:
    """One line per file that differs: `drifted:`, `missing:` (not in actual) or `extra:`."""
    expected_files = {p.relative_to(expected).as_posix() for p in _files(expected)}
    actual_files = (
        {p.relative_to(actual).as_posix() for p in _files(actual)} if actual.is_dir() else set()
    )
    shown = _shown(actual)
    lines = [f"missing: {shown}/{rel}" for rel in sorted(expected_files - actual_files)]
    lines += [f"extra: {shown}/{rel}" for rel in sorted(actual_files - expected_files)]
    lines += [
        f"drifted: {shown}/{rel}"
        for rel in sorted(expected_files & actual_files)
        if not filecmp.cmp(expected / rel, actual / rel, shallow=False)
    ]
    return lines


def mirror_tree(source: Path, dest: Path) -> list[str]:
    """Make `dest` hold exactly the files of `source`; unchanged files are not rewritten."""
    changed: list[str] = []
    shown = _shown(dest)
    wanted = {p.relative_to(source) for p in _files(source)}
    if dest.is_dir():
        for path in sorted(_files(dest)):
            if path.relative_to(dest) not in wanted:
                path.unlink()
                changed.append(f"removed: {shown}/{path.relative_to(dest).as_posix()}")
    for rel in sorted(wanted):
        target = dest / rel
        if target.is_file() and filecmp.cmp(source / rel, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, target)
        changed.append(f"written: {shown}/{rel.as_posix()}")
    _remove_empty_dirs(dest)
    return changed


def _refuse_foreign_folder(out_dir: Path) -> None:
    """Never mirror into (and so delete from) a folder that `segue generate` did not write."""
    if out_dir.exists() and not out_dir.is_dir():
        raise GenerateError(f"{out_dir} is not a folder")
    if out_dir.is_dir() and any(_files(out_dir)) and not (out_dir / "README.md").is_file():
        raise GenerateError(
            f"{out_dir} has files but no README.md from `segue generate`; refusing to replace it"
        )
    readme = out_dir / "README.md"
    first_line = GENERATED_README.splitlines()[0]
    if readme.is_file() and readme.read_text(encoding="utf-8").splitlines()[:1] != [first_line]:
        raise GenerateError(f"{readme} was not written by `segue generate`")


def _files(root: Path) -> Iterator[Path]:
    """Every file under `root` that generation owns, ignoring tool caches."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in IGNORED_NAMES)
        for name in sorted(filenames):
            if not name.endswith(IGNORED_SUFFIXES):
                yield Path(dirpath) / name


def _remove_ignored(root: Path) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        if path.name in IGNORED_NAMES and path.is_dir():
            shutil.rmtree(path)


def _remove_empty_dirs(root: Path) -> None:
    for dirpath, _, _ in sorted(os.walk(root), key=lambda entry: -len(entry[0])):
        path = Path(dirpath)
        if path != root and not any(path.iterdir()):
            path.rmdir()


# --------------------------------------------------------------------------- processes


def _run(step: str, command: Sequence[str], cwd: Path) -> None:
    env = {
        **os.environ,
        # The venv's tools first, whichever way segue was started.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "RUFF_NO_CACHE": "true",
        "NO_COLOR": "1",
        "PYTHONHASHSEED": "0",
    }
    try:
        result = subprocess.run(
            list(command),
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=SUBPROCESS_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError:
        raise GenerateError(f"{step}: {command[0]} is not installed") from None
    except subprocess.TimeoutExpired:
        raise GenerateError(f"{step}: no answer after {SUBPROCESS_TIMEOUT_S} s") from None
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise GenerateError(f"{step} failed (exit {result.returncode}):\n{output}")


def _venv_tool(name: str) -> str:
    """A console script of the environment segue runs in (uv's .venv)."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        raise GenerateError(f"{name} is not installed in {Path(sys.executable).parent}")
    return str(path)


def _shown(path: Path) -> str:
    """A path as messages show it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)
