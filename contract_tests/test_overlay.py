"""The Overlay engine (segue.overlay), through its public API only."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from segue.overlay import OverlayError, apply_overlay, apply_overlays, load_overlay

# Fixed seed (CI runs repeat) and no example database (it would write into the work tree).
quick = settings(database=None, deadline=None, max_examples=150, derandomize=True)


def overlay(*actions: dict[str, Any], version: str = "1.0.0") -> dict[str, Any]:
    return {"overlay": version, "info": {"title": "test", "version": "1"}, "actions": list(actions)}


def spec() -> dict[str, Any]:
    """A small OpenAPI-shaped document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "API", "version": "1.0.0", "contact": {"name": "a", "url": "u"}},
        "tags": [{"name": "music"}, {"name": "internal"}, {"name": "tasks"}],
        "paths": {
            "/generate": {
                "post": {
                    "operationId": "generateMusic",
                    "tags": ["music", "internal"],
                    "parameters": [
                        {"name": "a", "in": "query"},
                        {"name": "b", "in": "query", "x-drop": True},
                        {"name": "c", "in": "query"},
                        {"name": "d", "in": "query", "x-drop": True},
                        {"name": "e", "in": "query", "x-drop": True},
                    ],
                }
            },
            "/internal": {"get": {"operationId": "internalOnly"}},
        },
        "components": {
            "schemas": {
                "Envelope": {
                    "type": "object",
                    "required": ["code", "msg"],
                    "properties": {"code": {"const": 200}, "msg": {"type": "string"}},
                }
            }
        },
    }


# --------------------------------------------------------------------------- update


def test_update_merges_nested_objects_and_keeps_other_keys():
    result = apply_overlay(
        spec(),
        overlay({"target": "$.info", "update": {"contact": {"email": "e"}, "x-brand": "kie"}}),
    )
    assert result["info"] == {
        "title": "API",
        "version": "1.0.0",
        "contact": {"name": "a", "url": "u", "email": "e"},
        "x-brand": "kie",
    }


def test_update_on_object_replaces_arrays_and_scalars_in_1_0():
    envelope = "$.components.schemas.Envelope"
    result = apply_overlay(
        spec(), overlay({"target": envelope, "update": {"required": ["code"], "type": "string"}})
    )
    schema = result["components"]["schemas"]["Envelope"]
    assert schema["required"] == ["code"]
    assert schema["type"] == "string"


def test_update_on_object_concatenates_arrays_in_1_1():
    action = {"target": "$.components.schemas.Envelope", "update": {"required": ["data"]}}
    result = apply_overlay(spec(), overlay(action, version="1.1.0"))
    assert result["components"]["schemas"]["Envelope"]["required"] == ["code", "msg", "data"]


def test_update_1_1_refuses_to_merge_an_object_into_a_string():
    action = {"target": "$.info", "update": {"title": {"text": "x"}}}
    with pytest.raises(OverlayError, match=r"actions\[0\].*\$\['info'\]\['title'\] is a string"):
        apply_overlay(spec(), overlay(action, version="1.1.0"))


def test_update_on_array_target_appends_the_value():
    result = apply_overlay(spec(), overlay({"target": "$.tags", "update": {"name": "extend"}}))
    assert [tag["name"] for tag in result["tags"]] == ["music", "internal", "tasks", "extend"]


def test_update_1_1_concatenates_an_array_into_an_array_target():
    action = {"target": "$.tags", "update": [{"name": "x"}, {"name": "y"}]}
    result = apply_overlay(spec(), overlay(action, version="1.1.0"))
    assert [tag["name"] for tag in result["tags"]] == ["music", "internal", "tasks", "x", "y"]


def test_update_1_0_refuses_an_array_into_an_array_target():
    action = {"target": "$.tags", "update": [{"name": "x"}]}
    with pytest.raises(OverlayError, match=re.escape("overlay: 1.1.0 to concatenate")):
        apply_overlay(spec(), overlay(action))


def test_update_on_array_elements_matched_by_a_filter():
    action = {"target": "$.tags[?@.name=='internal']", "update": {"x-hidden": True}}
    result = apply_overlay(spec(), overlay(action))
    assert result["tags"] == [
        {"name": "music"},
        {"name": "internal", "x-hidden": True},
        {"name": "tasks"},
    ]


def test_update_on_every_match_of_a_wildcard():
    action = {"target": "$.paths.*.*", "update": {"x-codegen": "skip"}}
    result = apply_overlay(spec(), overlay(action))
    assert result["paths"]["/generate"]["post"]["x-codegen"] == "skip"
    assert result["paths"]["/internal"]["get"]["x-codegen"] == "skip"


def test_update_primitive_target_is_replaced_in_1_1_and_refused_in_1_0():
    action = {"target": "$.info.title", "update": "New"}
    assert apply_overlay(spec(), overlay(action, version="1.1.0"))["info"]["title"] == "New"
    with pytest.raises(
        OverlayError, match=re.escape("Overlay 1.0 targets must be objects or arrays")
    ):
        apply_overlay(spec(), overlay(action))


def test_update_of_an_object_with_a_non_object_is_an_error():
    with pytest.raises(OverlayError, match=r"\$\['info'\] is an object"):
        apply_overlay(spec(), overlay({"target": "$.info", "update": "text"}))


def test_a_node_selected_twice_is_updated_once():
    result = apply_overlay(spec(), overlay({"target": "$['tags','tags']", "update": {"name": "x"}}))
    assert [tag["name"] for tag in result["tags"]] == ["music", "internal", "tasks", "x"]


def test_values_inserted_at_several_targets_are_not_shared():
    inserted = {"x-m": {"kept": True}}
    changes = overlay(
        {"target": "$.paths.*.*", "update": inserted},  # new key at two places
        {"target": "$.tags", "update": inserted},  # appended
        {"target": "$.paths['/internal'].get['x-m']", "update": {"k": 1}},
    )
    result = apply_overlay(spec(), changes)
    assert result["paths"]["/internal"]["get"]["x-m"] == {"kept": True, "k": 1}
    assert result["paths"]["/generate"]["post"]["x-m"] == {"kept": True}
    result["tags"][-1]["x-m"]["kept"] = False
    assert result["paths"]["/generate"]["post"]["x-m"] == {"kept": True}
    assert inserted == {"x-m": {"kept": True}}


def test_update_1_1_refuses_targets_of_mixed_kinds():
    action = {"target": "$.*", "update": {"k": 1}}
    with pytest.raises(OverlayError, match="mix of arrays and objects"):
        apply_overlay({"a": {}, "b": []}, overlay(action, version="1.1.0"))
    # 1.0 has no such rule: the object is merged, the array gets the entry.
    assert apply_overlay({"a": {}, "b": []}, overlay(action)) == {"a": {"k": 1}, "b": [{"k": 1}]}


def test_yaml_aliases_in_the_document_are_not_updated_together():
    shared = {"type": "string"}
    document = {"components": {"schemas": {"A": shared, "B": shared}}}
    action = {"target": "$.components.schemas.A", "update": {"maxLength": 3}}
    result = apply_overlay(document, overlay(action))
    assert result["components"]["schemas"]["B"] == {"type": "string"}


# --------------------------------------------------------------------------- remove


def test_remove_true_removes_object_members():
    action = {"target": "$.paths['/internal']", "remove": True}
    result = apply_overlay(spec(), overlay(action))
    assert list(result["paths"]) == ["/generate"]


def test_remove_true_removes_several_array_elements():
    action = {"target": "$.paths.*.post.parameters[?@['x-drop']]", "remove": True}
    result = apply_overlay(spec(), overlay(action))
    parameters = result["paths"]["/generate"]["post"]["parameters"]
    assert [p["name"] for p in parameters] == ["a", "c"]


def test_remove_primitive_array_elements():
    action = {"target": "$.paths.*.*.tags[?@ == 'internal']", "remove": True}
    result = apply_overlay(spec(), overlay(action, version="1.1.0"))
    assert result["paths"]["/generate"]["post"]["tags"] == ["music"]


def test_remove_a_node_and_its_descendant_in_one_action():
    action = {"target": "$..[?@.operationId=='internalOnly' || @.get]", "remove": True}
    result = apply_overlay(spec(), overlay(action))
    assert "/internal" not in result["paths"]


def test_remove_false_keeps_the_node_and_applies_the_update():
    action = {"target": "$.paths['/internal']", "remove": False, "update": {"x-kept": True}}
    result = apply_overlay(spec(), overlay(action))
    assert result["paths"]["/internal"] == {"get": {"operationId": "internalOnly"}, "x-kept": True}
    alone = apply_overlay(spec(), overlay({"target": "$.paths['/internal']", "remove": False}))
    assert alone == spec()


def test_remove_true_wins_over_update():
    action = {"target": "$.paths['/internal']", "remove": True, "update": {"x": 1}}
    assert "/internal" not in apply_overlay(spec(), overlay(action))["paths"]


def test_removing_the_root_is_an_error():
    with pytest.raises(OverlayError, match="cannot remove the document root"):
        apply_overlay(spec(), overlay({"target": "$", "remove": True}))


# --------------------------------------------------------------------------- copy (1.1)


def test_copy_merges_the_source_node_into_the_target():
    document = {"paths": {"/items": {"get": {"summary": "s"}}, "/some": {"delete": {}}}}
    action = {"target": "$.paths['/some']", "copy": "$.paths['/items']"}
    result = apply_overlay(document, overlay(action, version="1.1.0"))
    assert result["paths"]["/some"] == {"delete": {}, "get": {"summary": "s"}}


def test_copy_then_remove_moves_a_node():
    # The "Move Example" of Overlay 1.1.0.
    document = {"paths": {"/items": {"get": {"summary": "s"}}}}
    moved = overlay(
        {"target": "$.paths", "update": {"/new-items": {}}},
        {"target": "$.paths['/new-items']", "copy": "$.paths['/items']"},
        {"target": "$.paths['/items']", "remove": True},
        version="1.1.0",
    )
    assert apply_overlay(document, moved) == {"paths": {"/new-items": {"get": {"summary": "s"}}}}


def test_copy_takes_the_source_as_it_was_before_the_action():
    document = {"a": {"x": 1, "b": {}}}
    action = {"target": "$.a.b", "copy": "$.a"}  # a node copied into its own child
    result = apply_overlay(document, overlay(action, version="1.1.0"))
    assert result == {"a": {"x": 1, "b": {"x": 1, "b": {}}}}


def test_copy_source_must_select_exactly_one_node():
    action = {"target": "$.info", "copy": "$.tags[*]", "description": "copy tags"}
    with pytest.raises(OverlayError, match=r"actions\[0\].*'copy tags'.*selects 3 nodes, not 1"):
        apply_overlay(spec(), overlay(action, version="1.1.0"))
    missing = {"target": "$.info", "copy": "$.nothing"}
    with pytest.raises(OverlayError, match=re.escape("copy source '$.nothing' matches nothing")):
        apply_overlay(spec(), overlay(missing, version="1.1.0"))


def test_copy_needs_overlay_1_1():
    with pytest.raises(OverlayError, match=re.escape("`copy` needs an Overlay 1.1.x document")):
        apply_overlay(spec(), overlay({"target": "$.info", "copy": "$.info"}))


# --------------------------------------------------------------------------- strictness


def test_a_target_that_matches_nothing_fails_naming_the_action():
    bad = overlay(
        {"target": "$.info", "update": {"x-ok": 1}},
        {"target": "$.paths['/gone'].get", "update": {"x": 1}, "description": "Hide /gone"},
    )
    with pytest.raises(OverlayError) as caught:
        apply_overlay(spec(), bad)
    message = str(caught.value)
    assert message.startswith("actions[1] (target \"$.paths['/gone'].get\", 'Hide /gone')")
    assert "matches nothing" in message


def test_remove_that_matches_nothing_fails_too():
    with pytest.raises(OverlayError, match=r"actions\[0\].*matches nothing"):
        apply_overlay(spec(), overlay({"target": "$.tags[?@.name=='none']", "remove": True}))


@pytest.mark.parametrize(
    "target", ["$.paths[", "paths.info", "$.tags[?@.name=='x'", "$[?count(@)]"]
)
def test_invalid_jsonpath_fails_naming_the_action(target):
    with pytest.raises(OverlayError, match=r"actions\[0\].*invalid JSONPath target"):
        apply_overlay(spec(), overlay({"target": target, "update": {}}))


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"info": {"title": "t", "version": "1"}, "actions": []}, "missing overlay"),
        ({"overlay": "1.0.0", "actions": [{"target": "$", "update": {}}]}, "missing info"),
        ({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}}, "missing actions"),
        ({**overlay({"target": "$", "update": {}}), "overlay": "2.0.0"}, "unsupported Overlay"),
        ({**overlay({"target": "$", "update": {}}), "overlay": 1.0}, "unsupported Overlay"),
        ({**overlay({"target": "$", "update": {}}), "info": {"title": "t"}}, "info.version"),
        (overlay(), "`actions` must be a non-empty list"),
        (overlay({"update": {}}), r"actions\[0\].*`target` is required"),
        (overlay({"target": "$", "udpate": {}}), "unknown field.*'udpate'"),
        (overlay({"target": "$", "remove": "yes"}), "`remove` must be true or false"),
        (overlay({"target": "$"}), "needs `update`, `copy` or `remove`"),
        ({**overlay({"target": "$", "update": {}}), "paths": {}}, "unknown field.*'paths'"),
        (["not", "a", "mapping"], "must be a mapping"),
    ],
)
def test_a_document_that_is_not_an_overlay_is_rejected(broken, message):
    with pytest.raises(OverlayError, match=message):
        apply_overlay(spec(), broken)


def test_extensions_and_extends_are_accepted():
    document = {**overlay({"target": "$.info", "update": {}, "x-note": 1}), "extends": "x.yaml"}
    document["x-owner"] = "segue"
    assert apply_overlay(spec(), document) == spec()


# --------------------------------------------------------------------------- order, purity


def test_actions_apply_in_order_and_see_earlier_results():
    recreate = overlay(
        {"target": "$.paths['/internal']", "remove": True},
        {"target": "$.paths", "update": {"/internal": {"x-new": True}}},
        {"target": "$.paths['/internal']", "update": {"x-seen": True}},
    )
    result = apply_overlay(spec(), recreate)
    assert result["paths"]["/internal"] == {"x-new": True, "x-seen": True}
    reverse = overlay(*reversed(recreate["actions"]))
    assert "/internal" not in apply_overlay(spec(), reverse)["paths"]


def test_inputs_are_not_mutated():
    document, changes = (
        spec(),
        overlay(
            {"target": "$.info", "update": {"contact": {"email": "e"}}},
            {"target": "$.tags", "update": {"name": "new"}},
            {"target": "$.paths.*.post.parameters[?@['x-drop']]", "remove": True},
        ),
    )
    document_before, changes_before = copy.deepcopy(document), copy.deepcopy(changes)
    result = apply_overlay(document, changes)
    assert document == document_before
    assert changes == changes_before
    result["tags"][-1]["name"] = "changed later"  # the result shares nothing with the overlay
    assert changes == changes_before


def test_output_is_deterministic_and_keeps_key_order():
    changes = overlay(
        {"target": "$.info", "update": {"z-last": 1, "a-first": 2, "title": "T"}},
        {"target": "$.paths.*.*", "update": {"x-codegen": "skip"}},
    )
    runs = {json.dumps(apply_overlay(spec(), changes)) for _ in range(3)}
    assert len(runs) == 1
    info = apply_overlay(spec(), changes)["info"]
    assert list(info) == ["title", "version", "contact", "z-last", "a-first"]


# --------------------------------------------------------------------------- files


OVERLAY_YAML = """\
overlay: 1.0.0
info: {title: flavour, version: 2024-01-01}
actions:
  - target: $.info
    update:
      x-released: 2024-05-01
  - target: $.paths['/generate'].post
    update:
      responses:
        200: {description: OK}
"""


def test_load_overlay_keeps_yaml_keys_and_dates_as_text(tmp_path: Path):
    path = tmp_path / "flavour.overlay.yaml"
    path.write_text(OVERLAY_YAML)
    loaded = load_overlay(path)
    assert loaded["info"]["version"] == "2024-01-01"
    result = apply_overlay(spec(), loaded)
    assert result["paths"]["/generate"]["post"]["responses"] == {"200": {"description": "OK"}}
    assert result["info"]["x-released"] == "2024-05-01"
    json.dumps(result)  # stays JSON


def test_load_overlay_reads_json(tmp_path: Path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(overlay({"target": "$.info", "update": {"x": 1}})))
    assert load_overlay(path)["actions"][0]["update"] == {"x": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("overlay: [1.0.0\n", "not valid YAML"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("title: only\n", "missing overlay, info, actions"),
    ],
)
def test_load_overlay_errors_name_the_file(tmp_path: Path, text: str, message: str):
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(OverlayError, match=f"broken.yaml.*{message}"):
        load_overlay(path)
    with pytest.raises(OverlayError, match="cannot read"):
        load_overlay(tmp_path / "absent.yaml")


def test_apply_overlays_applies_files_in_order_and_names_a_failing_file(tmp_path: Path):
    first, second, bad = tmp_path / "1.yaml", tmp_path / "2.yaml", tmp_path / "bad.yaml"
    first.write_text(json.dumps(overlay({"target": "$.info", "update": {"x-step": 1}})))
    second.write_text(json.dumps(overlay({"target": "$.info", "update": {"x-step": 2}})))
    bad.write_text(json.dumps(overlay({"target": "$.nothing", "remove": True})))
    document = spec()
    assert apply_overlays(document, [first, second])["info"]["x-step"] == 2
    assert apply_overlays(document, [second, first])["info"]["x-step"] == 1
    assert apply_overlays(document, []) == document
    assert document == spec()
    with pytest.raises(OverlayError, match=r"bad.yaml: actions\[0\].*matches nothing"):
        apply_overlays(document, [first, bad])


# --------------------------------------------------------------------------- properties

keys = st.text(alphabet="abcd", min_size=1, max_size=2)
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=12,
)
json_objects = st.dictionaries(keys, json_values, max_size=5)


def assert_merged_1_0(before: dict, update: dict, after: dict) -> None:
    """What Overlay 1.0 merging promises, key by key."""
    assert list(after)[: len(before)] == list(before)  # existing keys keep their place
    assert set(after) == set(before) | set(update)
    for key, value in after.items():
        if key not in update:
            assert value == before[key]
        elif isinstance(update[key], dict) and isinstance(before.get(key), dict):
            assert_merged_1_0(before[key], update[key], value)
        else:
            assert value == update[key]  # arrays and scalars replace


@quick
@given(document=json_objects, update=json_objects)
def test_property_1_0_merge_of_random_objects(document, update):
    before = copy.deepcopy(document)
    result = apply_overlay({"root": document}, overlay({"target": "$.root", "update": update}))
    assert_merged_1_0(before, update, result["root"])
    assert document == before


@quick
@given(document=json_objects, update=json_objects)
def test_property_1_1_merge_concatenates_arrays(document, update):
    try:
        result = apply_overlay(
            {"root": document}, overlay({"target": "$.root", "update": update}, version="1.1.0")
        )
    except OverlayError as error:
        assert "cannot merge them" in str(error)  # an object/array/primitive mismatch
        return
    for key, value in update.items():
        old = document.get(key)
        if isinstance(value, list) and isinstance(old, list):
            assert result["root"][key] == old + value
        elif not isinstance(value, dict):
            assert result["root"][key] == value


@quick
@given(flags=st.lists(st.booleans(), max_size=12))
def test_property_removing_filtered_elements_keeps_the_rest_in_order(flags):
    items = [{"n": n, "drop": drop} for n, drop in enumerate(flags)]
    action = {"target": "$.items[?@.drop == true]", "remove": True}
    if not any(flags):
        with pytest.raises(OverlayError, match="matches nothing"):
            apply_overlay({"items": items}, overlay(action))
        return
    result = apply_overlay({"items": items}, overlay(action))
    assert result["items"] == [item for item in items if not item["drop"]]
