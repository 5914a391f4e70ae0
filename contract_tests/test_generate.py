"""`segue generate`: deterministic output, a drift check that names files, strict overlays.

Generation takes ~10 s (the generators are separate programs), so the tests share one fresh
build (`fresh`) and only two more run: a second build for determinism and one real
`segue generate --check` on a hand-edited copy. Nothing here writes to the project's
generated/: edits happen in copies under pytest's tmp_path.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import segue.generate as generate
from segue.bundle import BundleError, check_refs_local, load_bundle
from segue.cli import app
from segue.overlay import read_document
from segue.paths import GENERATED_DIR, OVERLAY_DIR, PROJECT_ROOT, spec_path
from typer.testing import CliRunner


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generated/ as the current specs and overlays produce it, in a temporary folder."""
    return generate.build_tree(tmp_path_factory.mktemp("fresh"))


def load(tree: Path, name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (tree / "openapi" / f"{name}.json").read_text(encoding="utf-8")
    )
    return document


# --------------------------------------------------------------------------- determinism, drift


def test_two_runs_give_byte_identical_trees(fresh: Path, tmp_path: Path) -> None:
    second = generate.build_tree(tmp_path)
    assert generate.compare_trees(fresh, second) == []
    assert sorted(p.relative_to(fresh) for p in fresh.rglob("*")) == sorted(
        p.relative_to(second) for p in second.rglob("*")
    )


def test_the_committed_tree_is_what_the_specs_produce(fresh: Path) -> None:
    """What `segue generate --check` verifies on a clean tree (its build is `fresh`)."""
    assert generate.compare_trees(fresh, GENERATED_DIR) == []


def test_check_passes_on_a_clean_tree(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's exit code and message, with the build replaced by the shared fresh one."""
    monkeypatch.setattr(generate, "build_tree", lambda work_root, sources=None: fresh)
    result = CliRunner().invoke(app, ["generate", "--check"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def copy_of_generated(tmp_path: Path) -> Path:
    copy = tmp_path / "generated"
    shutil.copytree(GENERATED_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_hand_edits_make_check_fail_naming_each_file(tmp_path: Path) -> None:
    copy = copy_of_generated(tmp_path)
    edited = copy / "python" / "kie" / "kie_models" / "__init__.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")
    (copy / "typescript" / "udio.d.ts").unlink()
    (copy / "openapi" / "notes.json").write_text("{}\n", encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "segue.cli", "generate", "--check", "--out", str(copy)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"drifted: {copy}/python/kie/kie_models/__init__.py" in result.stderr
    assert f"missing: {copy}/typescript/udio.d.ts" in result.stderr
    assert f"extra: {copy}/openapi/notes.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_generate_repairs_a_drifted_tree(fresh: Path, tmp_path: Path) -> None:
    copy = copy_of_generated(tmp_path)
    (copy / "openapi" / "kie.json").write_text("{}\n", encoding="utf-8")
    (copy / "python" / "udio" / "udio_client" / "types.py").unlink()
    (copy / "typescript" / "extra.d.ts").write_text("export {};\n", encoding="utf-8")

    changed = generate.mirror_tree(fresh, copy)

    assert generate.compare_trees(fresh, copy) == []
    assert sorted(line.split(": ")[0] for line in changed) == ["removed", "written", "written"]


def test_generate_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "important.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(generate.GenerateError, match="refusing"):
        generate.generate_tree(tmp_path)
    assert (tmp_path / "important.txt").read_text(encoding="utf-8") == "mine\n"


def test_no_generated_file_names_where_it_was_generated(fresh: Path) -> None:
    for path in fresh.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert str(fresh.parent) not in text, path
            assert str(PROJECT_ROOT) not in text, path


def test_json_is_stable_text_with_a_trailing_newline(fresh: Path) -> None:
    for path in (fresh / "openapi").rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert text.endswith("}\n") and not text.endswith("\n\n"), path
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", path


# --------------------------------------------------------------------------- the brand overlay


def code_meaning(document: dict[str, Any], code: int) -> str:
    """The meaning the ResponseCode table of a bundle gives a code."""
    description: str = document["components"]["schemas"]["ResponseCode"]["description"]
    for line in description.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == str(code):
            return cells[1]
    raise LookupError(code)


def examples_by_rule(document: dict[str, Any]) -> dict[str, int]:
    """`x-segue-when` rule (or invalid property) -> the code of the example documenting it."""
    found = {}
    for example in document["components"]["examples"].values():
        when = example.get("x-segue-when")
        if when:
            found[when.get("rule") or f"invalid {when['invalid']}"] = example["value"]["code"]
    return found


def test_the_brand_overlay_changes_the_code_table_and_the_server(fresh: Path) -> None:
    kie, suno = load(fresh, "kie"), load(fresh, "kie-sunoapi")

    assert suno["servers"][0]["url"] == "https://api.sunoapi.org"
    assert kie["servers"][0]["url"] == "https://api.kie.ai"
    assert "sunoapi.org" in suno["info"]["title"]
    assert code_meaning(suno, 429) == "insufficient credits"
    assert code_meaning(kie, 429).startswith("rate limited")
    assert 429 in suno["components"]["schemas"]["ResponseCode"]["enum"]
    assert examples_by_rule(suno)["insufficient-credits"] == 429
    assert examples_by_rule(suno)["rate-limited"] == 405
    assert examples_by_rule(suno)["invalid callBackUrl"] == 400
    assert examples_by_rule(kie)["insufficient-credits"] == 402


def test_the_flavour_documents_the_same_situations_with_its_own_codes(fresh: Path) -> None:
    """Every `x-segue-when` survives (the mock needs it), and every code is in the new table."""
    kie, suno = load(fresh, "kie"), load(fresh, "kie-sunoapi")
    assert examples_by_rule(suno).keys() == examples_by_rule(kie).keys()

    table = set(suno["components"]["schemas"]["ResponseCode"]["enum"])
    kie_only = set(kie["components"]["schemas"]["ResponseCode"]["enum"]) - table
    assert kie_only, "the two tables should differ"
    assert set(examples_by_rule(suno).values()) <= table
    for path_item in suno["paths"].values():
        for operation in path_item.values():
            statuses = {int(status) for status in operation["responses"]}
            assert not statuses & kie_only, operation["operationId"]
    assert not any(f"`{code}`" in json.dumps(suno["paths"]) for code in kie_only)


def test_every_bundle_passes_segue_lint(fresh: Path) -> None:
    """The flavoured bundle is a sound spec too: valid, its examples match its schemas."""
    bundles = sorted(str(path) for path in (fresh / "openapi").glob("*.json"))
    result = CliRunner().invoke(app, ["lint", *bundles])
    assert result.exit_code == 0, result.output


def test_overlays_are_strict(tmp_path: Path) -> None:
    """A target that matches nothing stops generation, naming the action."""
    spec = read_document(spec_path("kie"))
    del spec["components"]["examples"]["CallBackUrlMissing"]
    copy = tmp_path / "kie.openapi.yaml"
    copy.write_text(json.dumps(spec), encoding="utf-8")  # JSON is YAML

    with pytest.raises(BundleError) as raised:
        load_bundle(copy, [OVERLAY_DIR / "kie-sunoapi.yaml"])

    message = str(raised.value)
    assert "CallBackUrlMissing" in message
    assert "matches nothing" in message


@pytest.mark.parametrize("overlay", sorted(OVERLAY_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_overlay_action_says_why(overlay: Path) -> None:
    for index, action in enumerate(read_document(overlay)["actions"]):
        assert str(action.get("description", "")).strip(), f"{overlay.name} actions[{index}]"


# --------------------------------------------------------------------------- bundles and checks


def test_bundles_are_self_contained() -> None:
    document: dict[str, Any] = {
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {}}}
    }
    check_refs_local(document, "spec")  # fine
    document["components"]["schemas"]["B"] = {"$ref": "common.yaml#/components/schemas/C"}
    with pytest.raises(BundleError, match="points outside the document"):
        check_refs_local(document, "spec")
    document["components"]["schemas"]["B"] = {"$ref": "#/components/schemas/Nowhere"}
    with pytest.raises(BundleError, match="resolves to nothing"):
        check_refs_local(document, "spec")


def test_a_schema_the_client_generator_drops_stops_generation(tmp_path: Path) -> None:
    """openapi-python-client can drop a model without a warning; generation must not."""
    sdk = generate.PYTHON_SDKS[0]
    (tmp_path / "python" / sdk.client_package / "models").mkdir(parents=True)
    document = {"components": {"schemas": {"MusicCallback": {"type": "object"}}}}
    with pytest.raises(generate.GenerateError, match="silently dropped MusicCallback"):
        generate._check_client_kept_every_schema(sdk, document, tmp_path)


def test_python_inputs_hold_what_the_python_generators_digest(fresh: Path) -> None:
    """No callbacks (a `$ref` there breaks openapi-python-client); no KIE conditionals (they
    made the callback models vanish). Preflight enforces the conditionals instead."""
    for sdk in generate.PYTHON_SDKS:
        document = load(fresh, f"python/{sdk.vendor}")
        assert '"callbacks"' not in json.dumps(document["paths"]), sdk.vendor
    kie_text = (fresh / "openapi" / "python" / "kie.json").read_text(encoding="utf-8")
    assert '"if"' not in kie_text and '"then"' not in kie_text
