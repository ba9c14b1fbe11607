"""Model and oversight metrics, pure functions: AUC, precision and recall at
a threshold, calibration bins, score histograms, the population stability
index, and the four-fifths rule over group rates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Four-fifths rule: a group's rate below 0.8 or above 1.25 (= 1/0.8) times the
# overall rate is flagged for a human to look at.
FOUR_FIFTHS_LOW = 0.8
FOUR_FIFTHS_HIGH = 1.25
# Score histograms for drift: ten equal bins over [0, 1].
BINS = 10


def auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Area under the ROC curve (Mann-Whitney, ties count half); None when
    one class is missing."""
    pairs = sorted(zip(scores, labels, strict=True), key=lambda p: p[0])
    positives = sum(labels)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j + 1 < len(pairs) and pairs[j + 1][0] == pairs[i][0]:
            j += 1
        average_rank = (i + j) / 2 + 1
        rank_sum += average_rank * sum(1 for k in range(i, j + 1) if pairs[k][1])
        i = j + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def precision_recall(
    scores: Sequence[float], labels: Sequence[int], threshold: float
) -> tuple[float | None, float | None, int]:
    """(precision, recall, flagged) when score >= threshold flags a person."""
    flagged = [y for s, y in zip(scores, labels, strict=True) if s >= threshold]
    true_positives = sum(flagged)
    positives = sum(labels)
    precision = true_positives / len(flagged) if flagged else None
    recall = true_positives / positives if positives else None
    return precision, recall, len(flagged)


def calibration(
    scores: Sequence[float], labels: Sequence[int], bins: int = BINS
) -> list[dict[str, float | int]]:
    """Per score bin: mean predicted probability vs the observed rate."""
    out = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [
            (s, y)
            for s, y in zip(scores, labels, strict=True)
            if low <= s < high or (b == bins - 1 and s == 1.0)
        ]
        if not members:
            continue
        out.append(
            {
                "low": round(low, 2),
                "high": round(high, 2),
                "count": len(members),
                "predicted": round(sum(s for s, _ in members) / len(members), 4),
                "observed": round(sum(y for _, y in members) / len(members), 4),
            }
        )
    return out


def histogram(scores: Sequence[float], bins: int = BINS) -> list[int]:
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, max(0, int(s * bins)))] += 1
    return counts


def psi(expected: Sequence[int], actual: Sequence[int], epsilon: float = 1e-4) -> float | None:
    """Population stability index between two histograms of the same bins:
    sum((a - e) * ln(a / e)) over the bin shares. ~0 for the same
    distribution; > 0.25 is commonly read as a major shift."""
    total_e, total_a = sum(expected), sum(actual)
    if not total_e or not total_a:
        return None
    value = 0.0
    for e, a in zip(expected, actual, strict=True):
        pe = max(e / total_e, epsilon)
        pa = max(a / total_a, epsilon)
        value += (pa - pe) * math.log(pa / pe)
    return value


@dataclass(frozen=True)
class GroupRate:
    group: str
    size: int
    count: int
    rate: float | None
    ratio: float | None  # rate / overall rate
    too_few: bool
    flagged: bool  # outside the four-fifths band


def four_fifths(
    groups: dict[str, tuple[int, int]], *, min_size: int
) -> tuple[float | None, list[GroupRate]]:
    """``groups``: group -> (size, count). Returns the overall rate and one
    row per group, largest first; groups smaller than ``min_size`` are
    marked too few to judge and never flagged."""
    size = sum(s for s, _ in groups.values())
    count = sum(c for _, c in groups.values())
    overall = count / size if size else None
    rows = []
    for group, (g_size, g_count) in sorted(groups.items(), key=lambda kv: (-kv[1][0], kv[0])):
        rate = g_count / g_size if g_size else None
        too_few = g_size < min_size
        ratio = None
        if rate is not None and overall:
            ratio = rate / overall
        flagged = (
            not too_few
            and ratio is not None
            and (ratio < FOUR_FIFTHS_LOW or ratio > FOUR_FIFTHS_HIGH)
        )
        rows.append(GroupRate(group, g_size, g_count, rate, ratio, too_few, flagged))
    return overall, rows
