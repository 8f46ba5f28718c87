"""Export of a LightGBM model to the ranker's own JSON format (read by summarizer.ranking.ranker).

LightGBM grows trees leaf by leaf, so a tree of depth ``depth`` may stop early on some
branches; the runtime format stores complete binary trees in breadth-first arrays. A leaf
above the full depth becomes a chain of padded nodes (threshold null, read as infinity, so a
row always goes left) that ends in the leftmost leaf below it, which holds its value. Both
send a row right when its value is greater than the threshold, so the exported ensemble
gives LightGBM's raw scores exactly (up to float rounding). Needs only the dumped model, a
plain dict, so this module imports nothing of LightGBM.
"""

from __future__ import annotations

from typing import Any

from summarizer.ranking.ranker import MODEL_FORMAT


def _fill(
    node: dict[str, Any],
    position: int,
    level: int,
    depth: int,
    feature: list[int],
    threshold: list[float | None],
    value: list[float],
) -> None:
    """Write ``node`` (a dumped LightGBM subtree) at breadth-first ``position`` of ``level``."""
    inner = 2**depth - 1
    if "leaf_value" in node or "split_feature" not in node:
        leaf = position
        for _ in range(level, depth):
            leaf = 2 * leaf + 1  # padded nodes send every row left
        value[leaf - inner] = float(node.get("leaf_value", 0.0))
        return
    if level >= depth:
        raise ValueError(f"tree deeper than {depth}; train with max_depth={depth}")
    if node.get("decision_type", "<=") != "<=" or node.get("missing_type") not in (None, "None"):
        raise ValueError("only numeric '<=' splits without missing-value handling are supported")
    feature[position] = int(node["split_feature"])
    threshold[position] = float(node["threshold"])
    _fill(node["left_child"], 2 * position + 1, level + 1, depth, feature, threshold, value)
    _fill(node["right_child"], 2 * position + 2, level + 1, depth, feature, threshold, value)


def export_lightgbm(dump: dict[str, Any], features: list[str], depth: int) -> dict[str, Any]:
    """The ranker JSON (format 1) of a ``Booster.dump_model()`` whose trees are at most ``depth`` deep."""
    if dump.get("num_class", 1) != 1:
        raise ValueError("only single-output models can be exported")
    if len(dump.get("feature_names", features)) != len(features):
        raise ValueError("the model was trained on a different number of features")
    trees: dict[str, list[list[Any]]] = {"feature": [], "threshold": [], "value": []}
    inner, leaves = 2**depth - 1, 2**depth
    for info in dump["tree_info"]:
        feature, value = [0] * inner, [0.0] * leaves
        threshold_cells: list[float | None] = [None] * inner
        _fill(info["tree_structure"], 0, 0, depth, feature, threshold_cells, value)
        trees["feature"].append(feature)
        trees["threshold"].append(threshold_cells)
        trees["value"].append(value)
    return {
        "format": MODEL_FORMAT,
        "features": list(features),
        "depth": depth,
        "base": 0.0,  # LightGBM folds its starting score into the first tree
        "trees": trees,
    }
