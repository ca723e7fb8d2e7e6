"""Contracting units: names written four ways, organisations sharing a NIT, per-unit API columns."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from simulator.processes.model import Entities
from simulator.vocabulary import (
    CITIES,
    CONTRACTING_UNITS,
    DEPARTMENT_TEMPLATES,
    ENTITY_NAME_TAILS,
    FIRST_NAMES,
    MUNICIPAL_TEMPLATES,
    NATIONAL_ENTITIES,
    NO_DEFINIDO,
    SAINTS,
    SHARED_NIT_TEMPLATES,
    SURNAMES,
    fold_accents,
)
from spark_jobs.identifiers import dian_check_digit


def _title(text: str) -> str:
    small = {"DE", "DEL", "LA", "LAS", "LOS", "Y", "E"}
    return " ".join(w.lower() if w in small else w.capitalize() for w in text.split(" "))


def _name_variants(name: str, tail: str) -> tuple[str, ...]:
    """Same entity written four ways: as is, accents folded, title case with odd spacing, noisy tail."""
    folded = fold_accents(name)
    head, _, last = _title(folded).rpartition(" ")
    return name, folded, f"{head}  {last} " if head else f"{last} ", name + tail


def _person_name(rng: np.random.Generator) -> str:
    first, surname = rng.choice(len(FIRST_NAMES)), rng.choice(len(SURNAMES), 2)
    return f"{FIRST_NAMES[first]} {SURNAMES[surname[0]]} {SURNAMES[surname[1]]}"


def _entity_candidates() -> list[tuple[str, str, str, int, str | None]]:
    """(name, orden, pci, city index, shared-NIT organisation tag or None) of every possible unit."""
    capitals: dict[str, int] = {}
    for i, (department, _) in enumerate(CITIES):
        capitals.setdefault(department, i)
    out = [(name, "Nacional", "Centralizada", 0, None) for name in NATIONAL_ENTITIES]
    for i, (_, city) in enumerate(CITIES):
        for template, orden, pci in MUNICIPAL_TEMPLATES:
            saints = SAINTS if "{saint}" in template else ("",)
            out += [(template.format(city=city.upper(), saint=s), orden, pci, i, None) for s in saints]
    for department, i in capitals.items():
        city = CITIES[i][1].upper()
        for template, orden, pci in DEPARTMENT_TEMPLATES:
            out.append((template.format(department=department.upper()), orden, pci, i, None))
        for template, orden, pci in SHARED_NIT_TEMPLATES:
            out.append((template.format(department=department.upper(), city=city), orden, pci, i, template))
    return out


def _entity_count(rows: int) -> int:
    return int(np.clip(round(3 * np.sqrt(rows)), 300, 3_000))


def build_entities(rng: np.random.Generator, rows: int) -> Entities:
    candidates = _entity_candidates()
    boost = np.array([3.0 if c[1] != "Territorial" or c[4] else 1.0 for c in candidates])
    chosen = rng.choice(len(candidates), _entity_count(rows), replace=False, p=boost / boost.sum())
    units = [candidates[i] for i in chosen]
    n = len(units)

    org_of: dict[str, int] = {}
    org = np.array([org_of.setdefault(tag or f"unit:{i}", len(org_of)) for i, (*_, tag) in enumerate(units)])
    org_nit = rng.choice(100_000_000, len(org_of), replace=False) + 800_000_000
    nit = org_nit[org]

    names, nits = [], []
    for i, (name, *_rest) in enumerate(units):
        names += _name_variants(name, ENTITY_NAME_TAILS[i % len(ENTITY_NAME_TAILS)])
        nits += [str(nit[i]), f"{nit[i]}{dian_check_digit(str(nit[i]))}"]
    city = np.array([u[3] for u in units])
    department = [CITIES[c][0] for c in city]
    unknown_department = rng.random(n) < 0.02
    codes = rng.choice(10_000_000, n, replace=False) + 700_000_000
    weight = 1.0 / (rng.permutation(n) + 5.0) ** 0.9  # a few big buyers, a long tail of small ones
    columns = {
        "departamento_entidad": pa.array(
            [NO_DEFINIDO if u else d for u, d in zip(unknown_department, department, strict=True)]
        ),
        "ciudad_entidad": pa.array([CITIES[c][1] for c in city]),
        "ordenentidad": pa.array([u[1] for u in units]),
        "codigo_pci": pa.array([u[2] for u in units]),
        "codigo_entidad": pa.array(codes).cast(pa.string()),
        "nombre_de_la_unidad_de": pa.array([CONTRACTING_UNITS[i] for i in rng.integers(0, len(CONTRACTING_UNITS), n)]),
        "nombre_del_adjudicador": pa.array([_person_name(rng).title() for _ in range(n)]),
    }
    return Entities(
        org=org.astype(np.int32),
        nit=nit.astype(np.int64),
        weight=weight / weight.sum(),
        glue_rate=rng.choice(np.array([0.0, 1.0, 0.3]), n, p=[0.75, 0.10, 0.15]),
        names=pa.array(names),
        nits=pa.array(nits),
        columns=columns,
        city=city,
    )
