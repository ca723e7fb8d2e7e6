"""Arrow string helpers shared by the processes and the other sources (all values are served as text)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from simulator.vocabulary import AMOUNT_FRACTIONS


def increasing_ids(rng: np.random.Generator, order: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Unique ids in [start, stop), increasing along `order` (SECOP numbers grow with time)."""
    max_gap = max(1, min(40, (stop - start) // max(1, len(order))))
    ids = np.empty(len(order), np.int64)
    ids[order] = start + np.cumsum(rng.integers(1, max_gap + 1, len(order)))
    return ids


def texts(values) -> pa.Array:
    return pa.array(list(values), pa.string())


FRACTIONS = texts(AMOUNT_FRACTIONS)


def take(vocab: pa.Array, index: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return vocab.take(pa.array(index, mask=null))


def number_strings(values: np.ndarray) -> pa.Array:
    return pa.array(values).cast(pa.string())


def num_or_null(values: np.ndarray, null: np.ndarray) -> pa.Array:
    return pa.array(values, mask=null).cast(pa.string())


def join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def substring(text: pa.Array, start: int, stop: int | None = None) -> pa.Array:
    return pc.utf8_slice_codeunits(text, start, stop)


def where(cond: np.ndarray, yes: pa.Array | str, no: pa.Array | str) -> pa.Array:
    return pc.if_else(pa.array(cond), yes, no)


def fill(mask: np.ndarray, values: pa.Array, default: str) -> pa.Array:
    """`values` (one per true row of mask, in order) on the rows of mask, `default` elsewhere."""
    index = np.where(mask, np.cumsum(mask) - 1, len(values))
    return pa.concat_arrays([values, texts([default])]).take(pa.array(index))


def patch(base: pa.Array, mask: np.ndarray, change: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """`base` with `change` applied to the rows of mask only."""
    index = np.arange(len(base))
    index[mask] = len(base) + np.arange(mask.sum())
    return pa.concat_arrays([base, change(base.filter(pa.array(mask)))]).take(pa.array(index))


def switch(code: np.ndarray, variant: Callable[[int, np.ndarray], pa.Array]) -> pa.Array:
    """Row i written by `variant(code[i], rows)`; each variant is rendered for its own rows only."""
    index = np.empty(len(code), np.int64)
    parts, offset = [], 0
    for k in np.unique(code):
        rows = np.flatnonzero(code == k)
        parts.append(variant(int(k), rows))
        index[rows] = offset + np.arange(len(rows))
        offset += len(rows)
    return pa.concat_arrays(parts).take(pa.array(index))


def amount(values: np.ndarray, fraction: np.ndarray) -> pa.Array:
    """Whole pesos, a few with decimals ('1250000.5')."""
    decimal = fraction > 0
    return patch(number_strings(values), decimal, lambda whole: join(whole, take(FRACTIONS, fraction[decimal])))


Values = pa.Array | pa.ChunkedArray | np.ndarray | Sequence[str | None] | str | None  # None: all null


def pick_strings(
    rng: np.random.Generator, vocab: Sequence[str | None], n: int, weights: Sequence[float] | None = None
) -> pa.Array:
    """n values drawn from vocab (None = null)."""
    p = None if weights is None else np.asarray(weights, float) / np.sum(weights)
    return pa.array(list(vocab), pa.string()).take(pa.array(rng.choice(len(vocab), n, p=p)))


def money_amounts(rng: np.random.Generator, values: np.ndarray) -> pa.Array:
    """Whole pesos, a few with decimals, as the SECOP datasets write amounts."""
    fraction = np.where(rng.random(len(values)) < 0.05, rng.integers(1, len(AMOUNT_FRACTIONS), len(values)), 0)
    return amount(np.round(values).astype(np.int64), fraction)


def id_strings(rng: np.random.Generator, n: int, start: int, prefix: str = "") -> pa.Array:
    """n unique increasing numbers from `start`, with a prefix (CO1.PCCNTR., CO1.BID., ...)."""
    numbers = increasing_ids(rng, np.arange(n), start, start + 40 * max(n, 1))
    return join(prefix, number_strings(numbers)) if prefix else number_strings(numbers)


def split_counts(rng: np.random.Generator, total: int, groups: int) -> np.ndarray:
    """Skewed positive counts for `groups` groups, summing to `total` (total >= groups)."""
    weights = rng.gamma(0.8, size=groups)
    return 1 + rng.multinomial(total - groups, weights / weights.sum())


def table_rows(table: pa.Table, index: np.ndarray) -> dict[str, pa.Array]:
    """The given rows of a table, as one array per column."""
    taken = table.take(pa.array(np.asarray(index, np.int64)))
    return {name: column.combine_chunks() for name, column in zip(taken.column_names, taken.columns, strict=True)}


def address(rng: np.random.Generator, n: int) -> pa.Array:
    street = pick_strings(rng, ("Calle ", "Carrera ", "Avenida ", "Diagonal ", "Transversal "), n)
    return join(
        street,
        number_strings(rng.integers(1, 150, n)),
        " # ",
        number_strings(rng.integers(1, 99, n)),
        "-",
        number_strings(rng.integers(1, 99, n)),
    )


def as_strings(values: Values, n: int, name: str) -> pa.Array:
    if isinstance(values, str):
        array = pa.repeat(values, n)
    elif isinstance(values, pa.ChunkedArray):
        array = values.combine_chunks()
    elif isinstance(values, pa.Array):
        array = values
    elif isinstance(values, np.ndarray) and values.dtype != object:
        array = pa.array(values)
    else:
        array = pa.array(list(values), pa.string())
    if len(array) != n:
        raise ValueError(f"column {name}: {len(array)} values for {n} rows")
    return array if array.type == pa.string() else array.cast(pa.string())
