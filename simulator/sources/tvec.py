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
from simulator.parties import fresh_people
from simulator.sources.common import Built
from simulator.vocabulary import CIIU, SECTORS
from simulator.world import World

TVEC_AGGREGATIONS = (
    "Combustible (Nacional)", "Papelería y útiles de oficina", "Grandes Superficies", "Dotaciones",
    "Servicios de Aseo y Cafetería", "Compra de Vehículos", "Software por catálogo", "Alimentos PAE",
)  # fmt: skip


def build_tvec(world: World, n: int, rng: np.random.Generator) -> Built:
    """Virtual-store purchase orders of the processes' entities; 30% of the supplier companies sell."""
    suppliers = world.parties(rng, n, "company", 0.3)
    requesters = fresh_people(rng, n, world.avoid)
    entity_index = rng.integers(0, len(world.entities), n)
    entities = table_rows(world.entities, entity_index)
    day = random_days(rng, n)
    aggregation = rng.integers(0, len(TVEC_AGGREGATIONS), n)
    return {
        "a_o": number_strings(calendar_year(day)),
        "identificador_de_la_orden": id_strings(rng, n, 20_000),
        "rama_de_la_entidad": pick_strings(rng, ("Ejecutivo", "Judicial", "Legislativo"), n, (0.9, 0.07, 0.03)),
        "orden_de_la_entidad": entities["ordenentidad"],
        "sector_de_la_entidad": pick_strings(rng, SECTORS, n),
        "entidad": entities["entidad"],
        "nit_entidad": number_strings(world.entity_nit[entity_index]),
        "solicitante": patch(pa.array(requesters.name), rng.random(n) < 0.5, pc.utf8_title),
        "fecha": FLOATING.render(day_seconds(day, rng)),
        "fecha_vence": floating(day + rng.integers(30, 366, n)),
        "proveedor": suppliers.name,
        "nit_proveedor": number_strings(suppliers.doc),
        "estado": pick_strings(
            rng, ("Emitida", "Aceptada", "Cancelada", "Cerrada", None), n, (0.3, 0.3, 0.05, 0.3, 0.05)
        ),
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
