"""L2-regularized logistic regression on standardized features, pure Python.

numpy is not a dependency of SIMI and a few thousand rows of a dozen
features do not need it. The fit is Newton's method (iteratively reweighted
least squares): with the L2 term the Hessian is positive definite, so a
dozen steps converge to the unique optimum, where gradient descent would
need a learning rate and thousands of passes over the rows.

Explanations: with standardized values z_i, the logit is
``intercept + sum(coef_i * z_i)``, so each ``coef_i * z_i`` is the feature's
contribution and they add up (with the intercept) to the logit exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Matrix = list[list[float]]


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@dataclass(frozen=True)
class Standardizer:
    means: tuple[float, ...]
    scales: tuple[float, ...]

    @classmethod
    def fit(cls, rows: Sequence[Sequence[float]]) -> Standardizer:
        n = len(rows)
        if n == 0:
            raise ValueError("no rows to standardize")
        width = len(rows[0])
        means = [sum(r[j] for r in rows) / n for j in range(width)]
        scales = []
        for j in range(width):
            var = sum((r[j] - means[j]) ** 2 for r in rows) / n
            # A constant feature gets scale 1: its z is 0 and it explains nothing.
            scales.append(math.sqrt(var) if var > 1e-12 else 1.0)
        return cls(tuple(means), tuple(scales))

    def transform(self, row: Sequence[float]) -> list[float]:
        return [(v - m) / s for v, m, s in zip(row, self.means, self.scales, strict=True)]


@dataclass(frozen=True)
class Logistic:
    """A fitted model: standardization, coefficients per feature, intercept."""

    standardizer: Standardizer
    coefficients: tuple[float, ...]
    intercept: float

    def contributions(self, row: Sequence[float]) -> list[float]:
        z = self.standardizer.transform(row)
        return [c * v for c, v in zip(self.coefficients, z, strict=True)]

    def logit(self, row: Sequence[float]) -> float:
        return self.intercept + sum(self.contributions(row))

    def probability(self, row: Sequence[float]) -> float:
        return sigmoid(self.logit(row))


def _solve(a: Matrix, b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a is small and PD)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-15:
            raise ValueError("singular system")
        for r in range(col + 1, n):
            factor = m[r][col] / m[col][col]
            if factor:
                for c in range(col, n + 1):
                    m[r][c] -= factor * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def _loss(z: Matrix, labels: Sequence[int], w: list[float], l2: float) -> float:
    total = 0.5 * l2 * sum(wi * wi for wi in w[1:])
    for x, y in zip(z, labels, strict=True):
        t = sum(wi * xi for wi, xi in zip(w, x, strict=True))
        # log(1 + e^t) - y*t, computed without overflow
        total += (t if t > 0 else 0.0) + math.log1p(math.exp(-abs(t))) - y * t
    return total


def fit(
    rows: Sequence[Sequence[float]],
    labels: Sequence[int],
    *,
    l2: float = 1.0,
    max_steps: int = 50,
    tolerance: float = 1e-8,
) -> Logistic:
    """Minimize the summed log-loss + l2/2 * |coef|^2 (the intercept is not
    penalized) by Newton steps with backtracking on standardized features."""
    if len(rows) != len(labels) or not rows:
        raise ValueError("rows and labels must be non-empty and of equal length")
    standardizer = Standardizer.fit(rows)
    z = [[1.0, *standardizer.transform(r)] for r in rows]
    width = len(z[0])
    w = [0.0] * width
    positives = sum(labels)
    if 0 < positives < len(labels):
        rate = positives / len(labels)
        w[0] = math.log(rate / (1 - rate))
    for _step in range(max_steps):
        grad = [0.0] * width
        hess = [[0.0] * width for _ in range(width)]
        for x, y in zip(z, labels, strict=True):
            p = sigmoid(sum(wi * xi for wi, xi in zip(w, x, strict=True)))
            weight = max(p * (1 - p), 1e-10)
            error = p - y
            for i in range(width):
                grad[i] += error * x[i]
                wx = weight * x[i]
                row = hess[i]
                for j in range(i, width):
                    row[j] += wx * x[j]
        for i in range(1, width):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        for i in range(width):
            for j in range(i):
                hess[i][j] = hess[j][i]
        step = _solve(hess, grad)
        before = _loss(z, labels, w, l2)
        scale = 1.0
        while True:
            trial = [wi - scale * si for wi, si in zip(w, step, strict=True)]
            if _loss(z, labels, trial, l2) <= before + 1e-12 or scale < 1e-4:
                break
            scale /= 2
        w = trial
        if max(abs(s) for s in step) * scale < tolerance:
            break
    return Logistic(standardizer, tuple(w[1:]), w[0])
