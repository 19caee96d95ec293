"""A fitted decision tree as plain arrays: grown with scikit-learn, stored as JSON, walked with numpy.

Storing the split structure (feature, threshold, where a missing value goes) rather than a pickle
keeps a learned model readable by any later version of this package and of scikit-learn, and the
vectorised walk samples tens of thousands of rows a second without scikit-learn at all.
"""

from __future__ import annotations

from typing import Any

import numpy as np

LEAF = -1


class Tree:
    """Internal nodes split on `feature <= threshold`; a missing value goes where `nan_left` says."""

    def __init__(self, left: Any, right: Any, feature: Any, threshold: Any, nan_left: Any) -> None:
        self.left = np.asarray(left, dtype=np.int64)
        self.right = np.asarray(right, dtype=np.int64)
        self.feature = np.asarray(feature, dtype=np.int64)
        self.threshold = np.asarray(threshold, dtype=float)
        self.nan_left = np.asarray(nan_left, dtype=bool)
        sizes = {len(self.left), len(self.right), len(self.feature), len(self.threshold), len(self.nan_left)}
        if len(sizes) != 1 or not len(self.left):
            raise ValueError("a stored tree has arrays of different lengths")
        internal = self.left != LEAF
        if np.any(self.left[internal] >= len(self.left)) or np.any(self.right[internal] >= len(self.left)):
            raise ValueError("a stored tree points past its nodes")
        # leaf number of each node (-1 for internal nodes), in node order
        self.leaf_of = np.full(len(self.left), -1, dtype=np.int64)
        self.leaf_of[~internal] = np.arange(int((~internal).sum()))
        self.leaves = int((~internal).sum())

    @classmethod
    def single_leaf(cls) -> Tree:
        return cls([LEAF], [LEAF], [0], [0.0], [True])

    @classmethod
    def from_sklearn(cls, fitted: Any) -> Tree:
        t = fitted.tree_
        nan_left = getattr(t, "missing_go_to_left", np.ones(t.node_count, dtype=bool))
        return cls(t.children_left, t.children_right, t.feature, t.threshold, nan_left)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tree:
        return cls(data["left"], data["right"], data["feature"], data["threshold"], data["nan_left"])

    def to_dict(self) -> dict[str, Any]:
        internal = self.left != LEAF
        return {
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "feature": np.where(internal, self.feature, 0).tolist(),
            "threshold": np.where(internal, self.threshold, 0.0).tolist(),
            "nan_left": np.where(internal, self.nan_left, True).astype(int).tolist(),
        }

    def apply(self, x: np.ndarray) -> np.ndarray:
        """The leaf number (0..leaves-1) each row of `x` ends in."""
        node = np.zeros(len(x), dtype=np.int64)
        active = np.flatnonzero(self.left[node] != LEAF)
        while len(active):
            at = node[active]
            values = x[active, self.feature[at]]
            missing = np.isnan(values)
            with np.errstate(invalid="ignore"):
                go_left = np.where(missing, self.nan_left[at], values <= self.threshold[at])
            node[active] = np.where(go_left, self.left[at], self.right[at])
            active = active[self.left[node[active]] != LEAF]
        return self.leaf_of[node]


def grow(x: np.ndarray, y: np.ndarray, *, classify: bool, min_leaf: int, max_leaves: int, seed: int) -> Tree:
    """A tree of `y` on `x` (NaN allowed in `x`), with leaves of at least `min_leaf` rows."""
    if x.shape[1] == 0 or len(y) < 2 * min_leaf or len(np.unique(y)) < 2:
        return Tree.single_leaf()
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    kind = DecisionTreeClassifier if classify else DecisionTreeRegressor
    fitted = kind(min_samples_leaf=min_leaf, max_leaf_nodes=max(2, max_leaves), random_state=seed).fit(x, y)
    return Tree.from_sklearn(fitted)
