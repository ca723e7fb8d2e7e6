"""Tienda Virtual del Estado Colombiano purchase orders."""

from __future__ import annotations

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
    table_rows,
    take,
    texts,
)
from simulator.dates import FLOATING, calendar_year, day_seconds, floating, random_days
from simulator.parties import fresh_companies, fresh_people
from simulator.sources.common import Built
from simulator.vocabulary import CIIU, SECTORS
from simulator.world import World

TVEC_AGGREGATIONS = (
    "Combustible (Nacional)", "Papelería y útiles de oficina", "Grandes Superficies", "Dotaciones",
    "Servicios de Aseo y Cafetería", "Compra de Vehículos", "Software por catálogo", "Alimentos PAE",
)  # fmt: skip


MIRRORED_FIRE, MIRRORED_NEAR = 3, 2  # inactive_supplier's orders copied from planted awards


def inactive_mirrors(world: World) -> tuple[list[int], list[int]]:
    """Universe awards whose supplier inactive_supplier's plants gave a cancelled registration, with a
    document: up to MIRRORED_FIRE that fire and MIRRORED_NEAR that do not (the rule reads only the
    supplier's document and the date, so an order of that supplier on that day fires alike)."""
    if world.plan is None or world.universe is None:
        return [], []
    u, fired = world.universe, world.plan.truth.get("inactive_supplier", set())
    parties = {row["party"] for row in world.plan.rows["rues"] if row["state"] == "CANCELADA"}
    awards = [i for i in np.flatnonzero(np.isin(u.pool, list(parties))).tolist() if u.doc[i] is not None]
    fire = [i for i in awards if u.key[i] in fired][:MIRRORED_FIRE]
    near = [i for i in awards if u.key[i] not in fired][:MIRRORED_NEAR]
    return fire, near


def build_tvec(world: World, n: int, rng: np.random.Generator) -> Built:
    """Virtual-store purchase orders of the processes' entities from fresh supplier companies (none in a
    register, so none fires), except the first rows: orders of inactive_supplier's planted suppliers on
    their awards' days (`inactive_mirrors`), each to a fresh entity NIT (no pair repeats)."""
    fire, near = inactive_mirrors(world)
    mirrored = (fire + near)[:n]
    m = len(mirrored)
    suppliers = world.parties(rng, n, "company", 0.0)
    requesters = fresh_people(rng, n, world.avoid)
    entity_index = rng.integers(0, len(world.entities), n)
    entities = table_rows(world.entities, entity_index)
    entity_nit = world.entity_nit[entity_index]
    entity_nit[:m] = fresh_companies(rng, m, np.concatenate([world.avoid, suppliers.doc])).doc
    day = random_days(rng, n)
    supplier_doc = number_strings(suppliers.doc).to_pylist()
    supplier_name = list(suppliers.name)
    for k, i in enumerate(mirrored):
        day[k] = world.universe.day[i]
        supplier_doc[k] = world.universe.doc[i]
        supplier_name[k] = world.pool.parties.name[world.universe.pool[i]]
    order_id = id_strings(rng, n, 20_000)
    if world.plan is not None:
        world.plan.flag("inactive_supplier", (f"TVEC:{o}" for o in order_id[: len(fire[:n])].to_pylist()))
    state = pick_strings(rng, ("Emitida", "Aceptada", "Cancelada", "Cerrada", None), n, (0.3, 0.3, 0.05, 0.3, 0.05))
    aggregation = rng.integers(0, len(TVEC_AGGREGATIONS), n)
    return {
        "a_o": number_strings(calendar_year(day)),
        "identificador_de_la_orden": order_id,
        "rama_de_la_entidad": pick_strings(rng, ("Ejecutivo", "Judicial", "Legislativo"), n, (0.9, 0.07, 0.03)),
        "orden_de_la_entidad": entities["ordenentidad"],
        "sector_de_la_entidad": pick_strings(rng, SECTORS, n),
        "entidad": entities["entidad"],
        "nit_entidad": number_strings(entity_nit),
        "solicitante": patch(pa.array(requesters.name), rng.random(n) < 0.5, pc.utf8_title),
        "fecha": FLOATING.render(day_seconds(day, rng)),
        "fecha_vence": floating(day + rng.integers(30, 366, n)),
        "proveedor": supplier_name,
        "nit_proveedor": supplier_doc,
        "estado": patch(state, np.arange(n) < m, lambda rows: pa.array(["Emitida"] * len(rows), pa.string())),
        "solicitud": number_strings(rng.integers(10_000, 300_000, n)),
        "items": take(texts(TVEC_AGGREGATIONS), aggregation),
        "total": money_amounts(rng, np.exp(rng.normal(np.log(8e6), 1.3, n))),
        "agregacion": join("Acuerdo Marco - ", take(texts(TVEC_AGGREGATIONS), aggregation)),
        "ciudad": entities["ciudad_entidad"],
        "entidad_obigada": pick_strings(rng, ("Obligada", "No Obligada"), n, (0.7, 0.3)),
        "espostconflicto": pick_strings(rng, ("No", "Si"), n, (0.95, 0.05)),
        "actividad_economica_proveedor": pick_strings(rng, CIIU, n),
        "id_entidad": entities["codigo_entidad"],
    }
