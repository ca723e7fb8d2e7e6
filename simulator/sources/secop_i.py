"""SECOP I processes."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pyarrow.compute as pc

from simulator.arrow import (
    id_strings,
    increasing_ids,
    join,
    number_strings,
    pick_strings,
    table_rows,
    take,
    texts,
    where,
)
from simulator.dates import SNAPSHOT_DAY, calendar_year, floating, iso_day, random_days
from simulator.parties import fresh_companies, fresh_people, with_check_digit
from simulator.sources.common import Built
from simulator.vocabulary import NO_DEFINIDO, OBJECTS, PURPOSES
from simulator.world import World

SECOP_I_MODALITIES = (
    ("13", "Contratación Mínima Cuantía"), ("1", "Licitación Pública"), ("2", "Selección Abreviada de Menor Cuantía"),
    ("12", "Contratación Directa (Ley 1150 de 2007)"), ("10", "Régimen Especial"), ("3", "Concurso de Méritos Abierto"),
)  # fmt: skip
SECOP_I_TYPES = ("Prestación de Servicios", "Suministro", "Obra", "Compraventa", "Otro Tipo de Contrato", "Consultoría")


# value_additions' plants: (additions as a share of the value at signing, pesos more), the first ones fire
# (severity legal_cap above 50%, soft above 20%), the last is the near-miss: exactly 20% does not fire.
ADDITION_PLANTS = (
    (Fraction(1, 2), 1),
    (Fraction(1, 5), 1),
    (Fraction(1, 2), 0),
    (Fraction(3, 4), 0),
    (Fraction(1, 5), 0),
)
ENTITY_AWARDS = 10  # SECOP I awards per entity: fewer than direct_award_share compares


def build_secop_i(world: World, n: int, rng: np.random.Generator) -> Built:
    """SECOP I awards (2015-2023) that fire no indicator but the planted value_additions ones: fresh suppliers
    (none in a register), fresh entity NITs with ENTITY_AWARDS awards each (named like the processes'
    entities), additions of at most 18% of the value at signing, except the first rows (ADDITION_PLANTS)."""
    parties = world.parties(rng, n, "any", 0.0)
    reps = fresh_people(rng, n, world.avoid)
    entity_index = rng.integers(0, len(world.entities), n)
    entities = table_rows(world.entities, entity_index)
    nit = fresh_companies(rng, -(-n // ENTITY_AWARDS), np.concatenate([world.avoid, parties.doc])).doc
    nit = nit[rng.permutation(np.arange(n) // ENTITY_AWARDS)]
    modality = rng.integers(0, len(SECOP_I_MODALITIES), n)
    loaded = random_days(rng, n, iso_day("2015-01-01"), iso_day("2023-12-31"))
    signed = loaded + rng.integers(0, 20, n)
    term = rng.integers(1, 12, n)
    start = signed + rng.integers(0, 10, n)
    value = (np.exp(rng.normal(np.log(25e6), 1.4, n)) / 20).round() * 20
    additions = np.where(rng.random(n) < 0.12, value * rng.uniform(0.05, 0.18, n), 0).round()
    for i, (share, extra) in enumerate(ADDITION_PLANTS[: min(n, len(ADDITION_PLANTS))]):
        additions[i] = value[i] * share.numerator // share.denominator + extra
    constancia = join(
        number_strings(calendar_year(loaded) % 100),
        "-",
        pick_strings(rng, ("1", "4", "11", "12", "13", "15"), n),
        "-",
        number_strings(increasing_ids(rng, np.argsort(loaded, kind="stable"), 4_000_000, 14_000_000)),
    )
    award_id = id_strings(rng, n, 4_000_000)
    uid = join(constancia, "-", award_id)
    if world.plan is not None:
        fired = uid[: min(n, len(ADDITION_PLANTS) - 1)].to_pylist()
        world.plan.flag("value_additions", (f"SECOP_I:{u}" for u in fired))
    group = rng.integers(0, 3, n)
    return {
        "uid": uid,
        "anno_cargue_secop": number_strings(calendar_year(loaded)),
        "anno_firma_contrato": number_strings(calendar_year(signed)),
        "nivel_entidad": pc.utf8_upper(entities["ordenentidad"]),
        "orden_entidad": join(
            pc.utf8_upper(entities["ordenentidad"]), " ", pick_strings(rng, ("NIVEL 6", "DISTRITAL", "CENTRALIZADO"), n)
        ),
        "nombre_entidad": join(
            pc.utf8_upper(entities["departamento_entidad"]), "  ", pc.utf8_upper(entities["entidad"])
        ),
        "nit_de_la_entidad": with_check_digit(nit),
        "c_digo_de_la_entidad": entities["codigo_entidad"],
        "id_modalidad": take(texts(m[0] for m in SECOP_I_MODALITIES), modality),
        "modalidad_de_contratacion": take(texts(m[1] for m in SECOP_I_MODALITIES), modality),
        "estado_del_proceso": pick_strings(rng, ("Celebrado", "Liquidado", "Terminado sin Liquidar", "Adjudicado"), n),
        "causal_de_otras_formas_de": NO_DEFINIDO,
        "id_regimen_de_contratacion": take(texts(m[0] for m in SECOP_I_MODALITIES), modality),
        "nombre_regimen_de_contratacion": take(texts(m[1] for m in SECOP_I_MODALITIES), modality),
        "tipo_de_contrato": pick_strings(rng, SECOP_I_TYPES, n),
        "municipio_de_obtencion": entities["ciudad_entidad"],
        "municipio_de_entrega": entities["ciudad_entidad"],
        "fecha_de_cargue_en_el_secop": floating(loaded),
        "numero_de_constancia": constancia,
        "numero_de_proceso": join(
            pick_strings(rng, ("SMC ", "LP ", "SAMC ", "CD "), n),
            number_strings(rng.integers(1, 400, n)),
            " DE ",
            number_strings(calendar_year(loaded)),
        ),
        "numero_de_contrato": join(
            number_strings(rng.integers(1, 500, n)), " DE ", number_strings(calendar_year(signed))
        ),
        "cuantia_proceso": number_strings((value * rng.uniform(1.0, 1.1, n)).round().astype(np.int64)),
        "id_grupo": take(texts(("F", "E", "C")), group),
        "nombre_grupo": take(texts(("[F] Servicios", "[E] Productos de Uso Final", "[C] Obra")), group),
        "id_adjudicacion": award_id,
        "tipo_identifi_del_contratista": where(parties.person, "Cédula de Ciudadanía", "Nit de Persona Jurídica"),
        "identificacion_del_contratista": number_strings(parties.doc),
        "nom_razon_social_contratista": parties.name,
        "dpto_y_muni_contratista": join(entities["departamento_entidad"], " - ", entities["ciudad_entidad"]),
        "tipo_doc_representante_legal": "Cédula de Ciudadanía",
        "identific_representante_legal": number_strings(np.where(parties.person, parties.doc, reps.doc)),
        "nombre_del_represen_legal": [
            a if p else b for a, b, p in zip(parties.name, reps.name, parties.person, strict=True)
        ],
        "fecha_de_firma_del_contrato": floating(signed),
        "fecha_ini_ejec_contrato": floating(start),
        "plazo_de_ejec_del_contrato": number_strings(term),
        "rango_de_ejec_del_contrato": "M",
        "tiempo_adiciones_en_dias": number_strings(np.where(additions > 0, rng.integers(0, 60, n), 0)),
        "tiempo_adiciones_en_meses": number_strings(np.where(additions > 0, rng.integers(0, 4, n), 0)),
        "fecha_fin_ejec_contrato": floating(start + 30 * term),
        "compromiso_presupuestal": "Sn Definir",
        "cuantia_contrato": number_strings(value.astype(np.int64)),
        "valor_total_de_adiciones": number_strings(additions.astype(np.int64)),
        "valor_contrato_con_adiciones": number_strings((value + additions).astype(np.int64)),
        "objeto_del_contrato_a_la": join(pick_strings(rng, OBJECTS, n), " ", pick_strings(rng, PURPOSES, n)),
        "moneda": "Peso Colombiano",
        "es_postconflicto": "0",
        "marcacion_adiciones": number_strings((additions > 0).astype(np.int64)),
        "valor_rubro": "0",
        "sexo_replegal": pick_strings(rng, ("1", "2"), n),
        "municipio_entidad": entities["ciudad_entidad"],
        "departamento_entidad": entities["departamento_entidad"],
        "ultima_actualizacion": floating(np.minimum(signed + rng.integers(0, 300, n), SNAPSHOT_DAY)),
        "fecha_liquidacion": floating(start + 30 * term + 45, rng.random(n) < 0.6),
        "ruta_proceso_en_secop_i": join(
            '{"url":"https://www.contratos.gov.co/consultas/detalleProceso.do?numConstancia=', constancia, '"}'
        ),
        "es_mipyme": pick_strings(rng, ("Si", "No", NO_DEFINIDO), n),
    }
