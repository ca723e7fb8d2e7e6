"""SECOP II fines and sanctions, and contract execution lines."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from simulator.arrow import (
    id_strings,
    join,
    money_amounts,
    number_strings,
    patch,
    pick_strings,
    split_counts,
    substring,
    table_rows,
    take,
    texts,
    where,
)
from simulator.dates import FLOATING, RUN_DAY, SNAPSHOT_DAY, TICKS, calendar_year, day_seconds
from simulator.sources.common import BAD_YEARS, Built, overridden, planted_rows
from simulator.vocabulary import NO_DEFINIDO
from simulator.world import World

SANCTION_TYPES = ("Multa", "Cláusula penal", "Declaratoria de incumplimiento", "Otro")
SANCTION_STATES = ("En firme", "Vigente", "Revocada")  # a revoked sanction bars no one
UNKNOWN_CONTRACT = 99_000_000  # fined contracts SECOP II does not list (CO1.PCCNTR.99...)
NO_CONTRACT = "No definido"  # how a fine without its contract names it


def _last_award_day(world: World, by: Sequence) -> dict:
    """Last award day per value of `by` (one value per award of the universe; None and -1 skipped)."""
    last: dict = {}
    for value, day in zip(list(by), world.universe.day.tolist(), strict=True):
        if value is not None and not (isinstance(value, (int, np.integer)) and value < 0):
            last[value] = max(last.get(value, day), day)
    return last


def code_reads_as_award_document(world: World, code: str) -> bool:
    """Whether a supplier code, read as a document (leading zeros dropped), is an award's supplier
    document: barred_fines matches a fine's code both ways."""
    return code.strip().lstrip("0") in world.universe.documents


def build_fines(world: World, n: int, rng: np.random.Generator) -> Built:
    """Fines on contracts of real suppliers (a contract may have several acts), recorded on or after
    the last award of the fined supplier's code and document, and the planted fines. Background fines
    name suppliers whose code is no award's document, so that they match by code only."""
    c = world.contract()
    planted = planted_rows(world, "fines")
    n_background = n - len(planted)
    fined = world.award_supplier[c.award]
    fineable = np.array(
        [s >= 0 and not code_reads_as_award_document(world, world.pool.code[s]) for s in fined.tolist()], bool
    )
    contract = np.sort(rng.choice(np.flatnonzero(fineable & ~c.draft), n_background))
    supplier = world.award_supplier[c.award[contract]]
    by_code = _last_award_day(world, world.award_supplier.tolist())
    by_doc = _last_award_day(world, world.universe.doc.tolist())
    floor = np.array(
        [
            max(by_code.get(int(s), 0), by_doc.get(world.universe.doc[a], 0), int(d) + 20)
            for s, a, d in zip(supplier, c.award[contract], c.sign_day[contract], strict=True)
        ]
    )
    event = np.minimum(floor + rng.integers(0, 120, n_background), SNAPSHOT_DAY)
    event = np.maximum(event, floor)

    award = np.concatenate([c.award[contract], [r["award"] for r in planted]]).astype(np.int64)
    unnamed = rng.random(n_background) < 0.05  # the fine does not say which contract
    ids = [NO_CONTRACT if u else c.ids[i] for i, u in zip(contract, unnamed, strict=True)] + [
        r.get("contract_id") or (c.ids[r["contract"]] if r["contract"] >= 0 else f"CO1.PCCNTR.{UNKNOWN_CONTRACT + k}")
        for k, r in enumerate(planted)
    ]
    code = [world.pool.code[s] for s in supplier] + [r["code"] or NO_DEFINIDO for r in planted]
    name = [world.pool.parties.name[s] for s in supplier] + [r["name"] for r in planted]
    event = np.concatenate([event, [r["event"] for r in planted]]).astype(np.int64)
    value_base = np.concatenate([c.value[contract], world.award_value[award[n_background:]]])
    awards = table_rows(world.awards, award)
    value = value_base * rng.uniform(0.005, 0.1, n)
    kind = rng.choice(len(SANCTION_TYPES), n, p=[0.6, 0.15, 0.2, 0.05])
    paid = rng.random(n) < 0.5
    act = join(
        pick_strings(rng, ("RESOLUCIÓN ", "Resolución No. ", "ACTO ", ""), n),
        id_strings(rng, n, 100),
        " DE ",
        number_strings(calendar_year(event)),
    )
    state = pick_strings(rng, SANCTION_STATES, n, (0.6, 0.3, 0.1)).to_pylist()
    for k, r in enumerate(planted):
        state[n_background + k] = r.get("state") or SANCTION_STATES[k % 2]
    return {
        "id_proceso": awards["id_del_proceso"],
        "referencia_proceso": awards["referencia_del_proceso"],
        "id_contrato": pa.array(ids, pa.string()),
        "codigo_entidad_creadora": awards["codigo_entidad"],
        "nombre_entidad_creadora": pc.utf8_upper(awards["entidad"]),
        "as_codigo_proveedor_objeto": code,
        "nombre_proveedor_objeto_de": name,
        "valor": money_amounts(rng, value),
        "valor_pagado": where(paid, number_strings(np.round(value).astype(np.int64)), "0"),
        "fecha_evento": FLOATING.render(day_seconds(event, rng)),
        "aplico_garantias": pick_strings(rng, ("No", "Si"), n, (0.8, 0.2)),
        "numero_de_acto": overridden(act, planted, "act", n_background),
        "tipo_de_sancion": take(texts(SANCTION_TYPES), kind),
        "descripcion_otro_tipo_de": where(kind == 3, "Llamado de atención", pa.scalar(None, pa.string())),
        "estado": pa.array(state, pa.string()),
        "tipo": where(kind == 0, "Multa", "Sanción"),
        "numero_de_version": number_strings(1 + rng.binomial(2, 0.15, n)),
    }


ITEM_UNITS = ("Unidad", "Global", "Mes", "Servicio", "Kilogramo", "Metro cúbico", "Galón", "Porcentaje")
ITEMS = (
    "Informe de actividades", "Entrega de elementos", "Avance de obra", "Suministro mensual",
    "Mantenimiento preventivo", "Capacitación", "Dotación", "Licencias de software",
)  # fmt: skip


def _progress(rng: np.random.Generator, expected: np.ndarray, due: np.ndarray) -> np.ndarray:
    """Real progress of percentage lines: on or ahead of the expected progress once due (as of RUN_DAY),
    anything up to it before."""
    ahead = np.minimum(100.0, np.round(expected + np.round(rng.uniform(0, 15, len(due)), 2), 2))
    behind = np.round(expected * rng.uniform(0, 1, len(due)), 2)
    return np.where(due < RUN_DAY, ahead, behind)


def build_execution(world: World, n: int, rng: np.random.Generator) -> Built:
    """Delivery-plan lines: several per contract, due dates spread over its term, and the planted lines.

    Background deliveries of quantities are never late and complete once due (as of RUN_DAY); lines due
    later have nothing received yet. Percentage lines may be late (the rule reads their progress, not
    their delivery) but are on track once due. Each line repeats its contract's state.
    """
    c = world.contract()
    planted = planted_rows(world, "execution")
    n_background = n - len(planted)
    eligible = np.flatnonzero(~c.draft & ~np.isin(np.arange(len(c.award)), list(world.delivery_planted)))
    contracts = np.sort(rng.choice(eligible, min(len(eligible), max(1, n_background // 3)), replace=False))
    counts = split_counts(rng, n_background, len(contracts))
    contract = np.repeat(contracts, counts)
    line = np.arange(n_background) - np.repeat(np.cumsum(counts) - counts, counts)
    span = np.maximum(c.end_day[contract] - c.start_day[contract], 1)
    due = c.start_day[contract] + (span * (line + 1) / np.repeat(counts, counts)).astype(np.int64)
    percentage = rng.random(n_background) < 0.3
    delivered = due < RUN_DAY
    early = rng.integers(-5, 1, n_background)
    late = np.where(
        rng.random(n_background) < 0.8, rng.integers(-5, 3, n_background), rng.integers(3, 90, n_background)
    )
    real = due + np.where(percentage, late, early)
    due_qty = np.where(rng.random(n_background) < 0.5, 1, rng.integers(2, 500, n_background))
    partial = (due_qty * rng.random(n_background)).astype(int)
    received = np.where(delivered, np.where(percentage & (rng.random(n_background) < 0.1), partial, due_qty), 0)
    quantities_unknown = percentage & (rng.random(n_background) < 0.5)
    kind = np.where(percentage, "Porcentaje", "Entregable").tolist()
    due_text = number_strings(due_qty).to_pylist()
    received_text = number_strings(received).to_pylist()
    for i in np.flatnonzero(quantities_unknown):
        due_text[i] = received_text[i] = NO_DEFINIDO
    expected = np.round(100 * (line + 1) / np.repeat(counts, counts), 2)
    progress = np.where(percentage, _progress(rng, expected, due), np.where(delivered, 100.0, 0.0))
    progress_text = number_strings(progress).to_pylist()
    for i in np.flatnonzero(percentage & (rng.random(n_background) < 0.1)):
        progress_text[i] = NO_DEFINIDO
    state = [c.state[i] for i in contract]

    contract = np.concatenate([contract, [r["contract"] for r in planted]]).astype(np.int64)
    line = np.concatenate([line, [r["line"] - 1 for r in planted]]).astype(np.int64)
    due = np.concatenate([due, [r["due"] for r in planted]]).astype(np.int64)
    real = np.concatenate([real, [r["real"] if r["real"] is not None else 0 for r in planted]]).astype(np.int64)
    delivered = np.concatenate([delivered, [r["real"] is not None for r in planted]])
    kind += [r["type"] for r in planted]
    due_text += [r["due_qty"] for r in planted]
    received_text += [r["received"] for r in planted]
    expected_text = number_strings(expected).to_pylist() + [r["expected"] for r in planted]
    progress_text += [r["progress"] for r in planted]
    state += [r["state"] or c.state[r["contract"]] for r in planted]

    real_text = TICKS.render(day_seconds(real), ~delivered)
    bad_year = (
        delivered & (np.arange(n) < n_background) & (rng.random(n) < 0.01)
    )  # years such as 0218 (docs/sources.md#secop_ii_ejecucion)
    real_text = patch(real_text, bad_year, lambda t: join(pick_strings(rng, BAD_YEARS, len(t)), substring(t, 4)))
    item = rng.integers(0, len(ITEMS), n)
    planned_more = rng.random(n) < 0.1  # the plan once foresaw more than was awarded
    is_percentage = np.array([k.strip().lower() == "porcentaje" for k in kind])
    return {
        "identificadorcontrato": pa.array([c.ids[i] for i in contract], pa.string()),
        "tipoejecucion": pa.array(kind, pa.string()),
        "nombreplan": join(
            pick_strings(rng, ("Plan de entregas ", "Entregable ", "Pago ", "Informe de actividades "), n),
            number_strings(line + 1),
        ),
        "fechadeentregaesperada": TICKS.render(day_seconds(due)),
        "porcentajedeavanceesperado": pa.array(expected_text, pa.string()),
        "fechadeentregareal": real_text,
        "porcentaje_de_avance_real": pa.array(progress_text, pa.string()),
        "estado_del_contrato": pa.array(state, pa.string()),
        "referencia_de_articulos": join("ART-", number_strings(rng.integers(10_000, 99_999, n))),
        "descripci_n": join(take(texts(ITEMS), item), " ", number_strings(line + 1)),
        "unidad": where(is_percentage, ITEM_UNITS[-1], pick_strings(rng, ITEM_UNITS[:-1], n)),
        "cantidad_adjudicada": pa.array(due_text, pa.string()),
        "cantidad_planeada": pa.array(
            [str(int(q) + 1) if more and q.isdigit() else q for q, more in zip(due_text, planned_more, strict=True)],
            pa.string(),
        ),
        "cantidadrecibida": pa.array(received_text, pa.string()),
        "cantidadporrecibir": pa.array(due_text, pa.string()),
        "fechacreacion": TICKS.render(day_seconds(c.sign_day[contract], rng)),
    }
