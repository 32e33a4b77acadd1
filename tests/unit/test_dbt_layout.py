"""The dbt project's folders read as its DAG (dbt_project/README.md, Folders): staging mirrors the
landing folders, intermediate folders come in DAG order, and every model's YAML sits beside it."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

import pytest

from pipelines.defs.transform.dbt import ensure_manifest
from pipelines.lib.landing import TABLE_SPECS

# The business-area folders of models/intermediate/, in the order the DAG runs through them.
INTERMEDIATE_ORDER = ("services", "support", "allocation", "close", "bvo")
# Only budget versus outcome reads the marts (it compares what they allocated and charged).
READS_MARTS = {"bvo"}
# Four reports still described in marts/_bvo__models.yml, not beside them in marts/reports/: the
# marts' YAML was left to the concurrent report-marts work of issue 13. No other model may join.
YAML_APART = {
    "rpt_budget_vs_outcome_monthly",
    "rpt_reconciliation_published",
    "rpt_service_variance_ytd",
    "rpt_year_end_forecast",
}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return json.loads(ensure_manifest().read_text())


def _models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }


def test_staging_mirrors_the_landing_folders(manifest: dict[str, Any]) -> None:
    models = {node["name"]: node for node in _models(manifest).values()}
    sources = {
        node["name"]: node for node in manifest["sources"].values() if node["source_name"] == "raw"
    }
    misplaced = []
    for spec in TABLE_SPECS:
        model = models[f"stg_raw__{spec.table}"]
        if model["fqn"][1:3] != ["staging", spec.kind]:
            misplaced.append(f"stg_raw__{spec.table} in {model['original_file_path']}")
        if sources[spec.table]["fqn"][1:3] != ["staging", spec.kind]:
            misplaced.append(
                f"source raw.{spec.table} in {sources[spec.table]['original_file_path']}"
            )
    assert not misplaced, f"not in staging/<landing folder>/: {misplaced}"


def test_intermediate_folders_are_in_dag_order(manifest: dict[str, Any]) -> None:
    models = _models(manifest)
    backwards = []
    for node in models.values():
        if node["fqn"][1] != "intermediate":
            continue
        folder = node["fqn"][2]
        assert folder in INTERMEDIATE_ORDER, f"{node['name']}: folder {folder!r} has no place"
        for parent_id in node["depends_on"]["nodes"]:
            parent = models.get(parent_id)
            if parent is None:
                continue
            layer = parent["fqn"][1]
            if layer == "intermediate":
                if INTERMEDIATE_ORDER.index(parent["fqn"][2]) > INTERMEDIATE_ORDER.index(folder):
                    backwards.append(f"{node['name']} ({folder}) <- {parent['name']}")
            elif layer != "staging" and folder not in READS_MARTS:
                backwards.append(f"{node['name']} ({folder}) <- {parent['name']} ({layer})")
    assert not backwards, f"refs against the folder order: {backwards}"


def test_every_model_yaml_sits_beside_its_sql(manifest: dict[str, Any]) -> None:
    apart = []
    for node in _models(manifest).values():
        if node["name"] in YAML_APART:
            continue
        sql_dir = PurePosixPath(node["original_file_path"]).parent
        patch = node.get("patch_path")
        if patch is None:
            apart.append(f"{node['name']}: no YAML")
            continue
        yaml_path = PurePosixPath(patch.split("://", 1)[-1])
        if yaml_path.parent != sql_dir:
            apart.append(f"{node['name']}: {yaml_path} for {node['original_file_path']}")
    assert not apart, apart
