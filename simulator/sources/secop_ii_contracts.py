"""SECOP II contracts, cancelled contracts and offers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from catalogue import (
    SECOP_II_CONTRATOS,
    SECOP_II_CONTRATOS_CANCELADOS,
)
from simulator.arrow import (
    address,
    id_strings,
    join,
    money_amounts,
    number_strings,
    pick_strings,
    split_counts,
    table_rows,
    take,
    texts,
    where,
)
from simulator.dates import FLOATING, day_seconds, floating
from simulator.parties import fresh_companies
from simulator.sources.common import Built, planted_rows
from simulator.vocabulary import CITIES, NO_DEFINIDO, entity_sector
from simulator.world import Contracts, World, days_of
from spark_jobs.identifiers import canonical_document

FUNDING = (  # origen_de_los_recursos -> the funding column that carries the value
    ("Recursos Propios", "recursos_propios"),
    ("Presupuesto General de la Nación – PGN", "presupuesto_general_de_la_nacion_pgn"),
    ("Sistema General de Participaciones", "sistema_general_de_participaciones"),
    ("Sistema General de Regalías", "sistema_general_de_regal_as"),
    ("Recursos de Credito", "recursos_de_credito"),
    ("Distribuido", "recursos_propios_alcald_as_gobernaciones_y_resguardos_ind_genas_"),
    (NO_DEFINIDO, None),
)
FUNDING_WEIGHTS = (0.35, 0.2, 0.15, 0.05, 0.02, 0.13, 0.1)
FRESH_CODES = 10_000_000  # SECOP codes of bidders that never won (the processes' codes are below)
# The background's runner-up gaps over the winning offer (close_to_winning_bid, heavily_discounted_bid): spread
# evenly, their fences fall near 0.05 and 0.25.
BID_GAP_BAND = (0.10, 0.20)


def _supplier_documents(world: World, c: Contracts, rng: np.random.Generator) -> dict[str, pa.Array]:
    """The award's supplier as a contract shows it, plus its legal representative."""
    award = c.award
    awards = table_rows(world.awards, award)
    supplier = world.award_supplier[award]
    known = supplier >= 0
    rep = world.pool.rep.take(np.maximum(supplier, 0))
    documents = awards["nit_del_proveedor_adjudicado"].to_pylist()

    def rep_field(values: Sequence[str | None]) -> pa.Array:
        return where(known, pa.array(list(values), pa.string()), NO_DEFINIDO)

    return {
        "tipodocproveedor": pa.array(c.doc_type, pa.string()),
        "documento_proveedor": pa.array(
            [o if o is not None else d for o, d in zip(c.doc_text, documents, strict=True)]
        ),
        "codigo_proveedor": awards["codigoproveedor"],
        "proveedor_adjudicado": awards["nombre_del_proveedor"],
        "es_grupo": pc.if_else(
            pc.match_substring_regex(
                awards["nombre_del_proveedor"], "^(CONSORCIO|UNI[OÓ]N TEMPORAL)", ignore_case=True
            ),
            "Si",
            "No",
        ),
        "nombre_representante_legal": rep_field(rep.name),
        "identificaci_n_representante_legal": rep_field([str(d) for d in rep.doc]),
        "tipo_de_identificaci_n_representante_legal": rep_field(["Cédula de Ciudadanía"] * len(rep)),
        "nacionalidad_representante_legal": rep_field(["Colombiana"] * len(rep)),
        "g_nero_representante_legal": rep_field(["Masculino" if m else "Femenino" for m in rep.male]),
        "domicilio_representante_legal": rep_field([CITIES[i][1] for i in rng.integers(0, len(CITIES), len(rep))]),
    }


def _entity_sectors(nits: pa.Array) -> pa.Array:
    """Each contract's sector: its entity's (`entity_sector` of the entity's canonical NIT)."""
    if isinstance(nits, pa.ChunkedArray):
        nits = nits.combine_chunks()
    encoded = pc.dictionary_encode(nits)
    keys = [canonical_document(n) for n in encoded.dictionary.to_pylist()]
    sectors = pa.array([entity_sector(int(k)) if k else None for k in keys], pa.string())
    return sectors.take(encoded.indices)


def build_contracts(world: World, n: int, rng: np.random.Generator) -> Built:
    c = world.contract()
    n = len(c.award)
    awards = table_rows(world.awards, c.award)
    state = pa.array(c.state, pa.string())
    progress = np.select(
        [pc.is_in(state, pa.array(["terminado", "Cerrado"])).to_numpy(zero_copy_only=False), ~c.live],
        [1.0, 0.0],
        rng.uniform(0.0, 0.9, n),
    )
    invoiced = c.value * progress
    paid = invoiced * np.where(rng.random(n) < 0.7, 1.0, rng.uniform(0.6, 1.0, n))
    origin = rng.choice(len(FUNDING), n, p=np.array(FUNDING_WEIGHTS) / sum(FUNDING_WEIGHTS))
    whole_value = np.round(c.value).astype(np.int64)
    funding = {
        column: number_strings(np.where(origin == i, whole_value, 0)) for i, (_, column) in enumerate(FUNDING) if column
    }
    unsigned = c.draft
    liquidated = (progress == 1.0) & (rng.random(n) < 0.4)
    return {
        "nombre_entidad": awards["entidad"],
        "nit_entidad": awards["nit_entidad"],
        "departamento": awards["departamento_entidad"],
        "ciudad": awards["ciudad_entidad"],
        "localizaci_n": join("Colombia,  ", awards["departamento_entidad"], " ,  ", awards["ciudad_entidad"]),
        "orden": awards["ordenentidad"],
        "sector": _entity_sectors(awards["nit_entidad"]),
        "rama": pick_strings(
            rng, ("Ejecutivo", "Judicial", "Legislativo", "Corporación Autónoma"), n, (0.85, 0.06, 0.03, 0.06)
        ),
        "entidad_centralizada": awards["codigo_pci"],
        "proceso_de_compra": awards["id_del_portafolio"],
        "id_contrato": pa.array(c.ids, pa.string()),
        "referencia_del_contrato": join(
            awards["referencia_del_proceso"], pick_strings(rng, ("", "-1", " CONTRATO"), n)
        ),
        "estado_contrato": state,
        "codigo_de_categoria_principal": awards["codigo_principal_de_categoria"],
        "descripcion_del_proceso": awards["descripci_n_del_procedimiento"],
        "tipo_de_contrato": awards["tipo_de_contrato"],
        "modalidad_de_contratacion": awards["modalidad_de_contratacion"],
        "justificacion_modalidad_de": awards["justificaci_n_modalidad_de"],
        "fecha_de_firma": floating(c.sign_day, unsigned),
        "fecha_de_inicio_del_contrato": floating(c.start_day, unsigned),
        "fecha_de_fin_del_contrato": floating(c.end_day, unsigned),
        "condiciones_de_entrega": pick_strings(rng, ("A convenir", "NXTWY.DLVY.2", "Según cronograma", NO_DEFINIDO), n),
        **_supplier_documents(world, c, rng),
        "es_pyme": pick_strings(rng, ("Si", "No"), n, (0.4, 0.6)),
        "habilita_pago_adelantado": pick_strings(rng, ("No", "Si"), n, (0.9, 0.1)),
        "liquidaci_n": where(liquidated, "Si", "No"),
        "origen_de_los_recursos": take(texts([f[0] for f in FUNDING]), origin),
        "destino_gasto": pick_strings(rng, ("Inversión", "Funcionamiento", NO_DEFINIDO), n, (0.55, 0.4, 0.05)),
        "valor_del_contrato": pa.array(c.value_text, pa.string()),
        "valor_de_pago_adelantado": "0",
        "valor_facturado": number_strings(np.round(invoiced).astype(np.int64)),
        "valor_pagado": number_strings(np.round(paid).astype(np.int64)),
        "valor_pendiente_de_pago": number_strings(np.round(invoiced - paid).astype(np.int64)),
        "valor_amortizado": "0",
        "valor_pendiente_de": "0",
        "valor_pendiente_de_ejecucion": number_strings(np.round(c.value - invoiced).astype(np.int64)),
        "saldo_cdp": "0",
        "saldo_vigencia": "0",
        "espostconflicto": pick_strings(rng, ("No", "Si"), n, (0.97, 0.03)),
        "dias_adicionados": number_strings(np.where(rng.random(n) < 0.1, rng.integers(1, 120, n), 0)),
        "puntos_del_acuerdo": pick_strings(rng, ("No Aplica", NO_DEFINIDO), n),
        "pilares_del_acuerdo": pick_strings(rng, ("No Aplica", NO_DEFINIDO), n),
        "urlproceso": awards["urlproceso"],
        **funding,
        "ultima_actualizacion": floating(np.maximum(c.updated_day, 0), c.updated_day < 0),
        "codigo_entidad": awards["codigo_entidad"],
        "fecha_inicio_liquidacion": floating(c.end_day + 1, ~liquidated),
        "fecha_fin_liquidacion": floating(c.end_day + 30, ~liquidated),
        "objeto_del_contrato": awards["nombre_del_procedimiento"],
        "duraci_n_del_contrato": join(awards["duracion"], " ", awards["unidad_de_duracion"]),
        "el_contrato_puede_ser_prorrogado": pick_strings(rng, ("No", "Si"), n, (0.8, 0.2)),
        "fecha_de_notificaci_n_de_prorrogaci_n": None,
        "direcci_n_de_ejecuci_n_del_contrato": address(rng, n),
        "c_digo_bpin": where(rng.random(n) < 0.2, number_strings(rng.integers(10**12, 10**13, n)), NO_DEFINIDO),
        "fecha_inicio_obligaciones_posconsumo": None,
        "fecha_fin_obligaciones_posconsumo": None,
        "fecha_inicio_reversi_n": None,
        "fecha_fin_reversi_n": None,
    }


def build_cancelled_contracts(world: World, n: int, rng: np.random.Generator) -> Built:
    """The listed cancelled contracts: their contract rows (under this dataset's older, truncated field
    names, matched by display name), their (mostly never started) execution dates and the date of the
    cancellation (`fechamodificacion`, a floating timestamp with the time of day)."""
    c = world.contract()
    contracts = world.output(SECOP_II_CONTRATOS).filter(pa.array(c.listed))
    n = contracts.num_rows
    started = rng.random(n) < 0.3
    start = c.start_day[c.listed]
    contract_field = {column.display_name: column.field_name for column in SECOP_II_CONTRATOS.columns}
    cancel_day = c.cancel_day[c.listed]
    return {
        **{
            column.field_name: contracts[contract_field[column.display_name]]
            for column in SECOP_II_CONTRATOS_CANCELADOS.columns
            if column.display_name in contract_field
        },
        "fecha_de_inicio_de_ejecucion": floating(start, ~started),
        "fecha_de_fin_de_ejecucion": floating(start + rng.integers(1, 60, n), ~started),
        "fechamodificacion": FLOATING.render(day_seconds(np.maximum(cancel_day, 0), rng), cancel_day < 0),
    }


def background_bids(
    world: World, award: np.ndarray, winner: np.ndarray, exact: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """The amounts of the background's offers of awarded processes (`award`: the award of each offer, grouped,
    the winner's first): the winner's offer, the awarded value where `exact`, else up to 3% over the award's
    value and its contract's; the runner-up `bid_gaps_band` gap above it, the other bidders above that."""
    m = len(award)
    start = np.flatnonzero(winner[:m])
    group = np.cumsum(winner[:m]) - 1
    top = np.maximum(world.award_value[award], world.universe.value[award])
    won = np.where(exact[:m], world.award_value[award], np.round(top * rng.uniform(1.0, 1.03, m)))[start][group]
    low, high = BID_GAP_BAND
    runner_up = bid_gaps_band(len(start), rng)[group]
    first_other = np.zeros(m, bool)
    first_other[start[start + 1 < m] + 1] = True
    first_other &= ~winner[:m]
    gap = np.where(first_other, runner_up, runner_up + (high - runner_up) * rng.uniform(0, 1, m))
    # Each bidder of a process ends in its own residue modulo `slots` (under `slots` pesos off, far under
    # the band's resolution): no two offer the same amount.
    rank = np.arange(m) - start[group]
    slots = int(rank.max(initial=0)) + 1
    return np.where(winner[:m], won, np.floor(np.round(won * (1 + gap)) / slots) * slots + rank)


def bid_gaps_band(n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` runner-up gaps spread evenly over BID_GAP_BAND in a random order: quartiles near a quarter and
    three quarters of the band, so the Tukey fences (band's low − half its width, high + half its width)
    leave every background gap inside, with room for the near-misses between the band and a fence."""
    low, high = BID_GAP_BAND
    return low + (high - low) * (rng.permutation(n) + 0.5) / max(n, 1)


def build_offers(world: World, n: int, rng: np.random.Generator) -> Built:
    """Offers of awarded processes (the winner first, then other bidders), of open processes, and the
    planted offers. The awarded processes and their bidders are the plan's (simulator.plants.bidders: a
    panel of frequent bidders, fresh companies losing once), every other background offer is of an open
    process. In the background the winner offered the awarded value (or up to 3% more than the
    award's value and its contract's, negotiated down) and every other bidder more than the winner: the
    runner-up's gap over the winner's offer is spread evenly over BID_GAP_BAND among the processes (the
    other bidders within the band above it), so the cheapest valid offer is the winner's, no two bidders of
    a process offer the same amount, and no gap is an outlier of the bid-gap fences (bid_gaps_band)."""
    planted = planted_rows(world, "offers")
    n_background = n - len(planted)
    award, bidder = world.plan.bidding.offers(rng) if world.plan is not None else (np.zeros(0, np.int64),) * 2
    m = len(award)
    n_open = n_background - m
    if n_open < 0 or (n_open and not len(world.open_processes)):
        raise RuntimeError(f"generator bug: {m} offers of awarded processes, {n_background} offer rows")
    # Fewer open processes than awarded ones with offers, three offers each or more.
    n_open_processes = max(1, min(len(world.open_processes), n_open // 3, len(np.unique(award)) // 2))
    open_chosen = np.sort(rng.choice(len(world.open_processes), min(n_open_processes, n_open), replace=False))
    open_process = np.repeat(open_chosen, split_counts(rng, n_open, len(open_chosen))) if n_open else open_chosen
    winner = np.zeros(n_background, bool)
    winner[:m] = np.concatenate([[True], award[1:] != award[:-1]])[:m]

    # Bidders: the plan's in awarded processes; in open ones suppliers of awards (busy suppliers bid more) or
    # fresh companies.
    awarded = np.flatnonzero(world.award_supplier >= 0)
    pool_bidder = np.concatenate([bidder, world.award_supplier[rng.choice(awarded, n_open)]])
    fresh = pool_bidder < 0
    fresh[m:] = rng.random(n_open) < 0.3
    companies = fresh_companies(rng, int(fresh.sum()), world.avoid)
    pool = world.pool
    code = [pool.code[s] for s in pool_bidder]
    doc = [pool.raw_doc[s] for s in pool_bidder]
    name = [pool.parties.name[s] for s in pool_bidder]
    for row, j in zip(np.flatnonzero(fresh), range(len(companies)), strict=True):
        code[row], doc[row], name[row] = str(FRESH_CODES + j), str(companies.doc[j]), companies.name[j]
    won = table_rows(world.awards, award)
    won_name, won_value = won["nombre_del_proveedor"].to_pylist(), won["valor_total_adjudicacion"].to_pylist()
    # A winner's offer: its award's name, and the supplier's document as its other offers show it (one bidder key).
    for i in np.flatnonzero(winner):
        name[i] = won_name[i]

    exact = winner & (rng.random(n_background) < 0.7)
    amounts = np.concatenate(
        [
            background_bids(world, award, winner, exact, rng),
            np.round(np.exp(rng.normal(np.log(30e6), 1.2, n_open)) * rng.uniform(0.85, 1.35, n_open)),
        ]
    )
    value_text = money_amounts(rng, amounts).to_pylist()
    for i in np.flatnonzero(exact):
        value_text[i] = won_value[i]
    pub = np.concatenate(
        [world.award_pub_day[award], days_of(world.open_processes["fecha_de_publicacion_del"])[open_process]]
    )
    close = np.concatenate([world.award_day[award], pub[m:] + 20])
    registered = pub + (rng.random(n_background) * np.maximum(close - pub, 1)).astype(np.int64)
    currency = pick_strings(rng, ("COP", "USD"), n_background, (0.99, 0.01)).to_pylist()

    # The planted offers.
    process_rows = np.concatenate([award, -1 - open_process, [r["award"] for r in planted]]).astype(np.int64)
    code += [r["code"] for r in planted]
    doc += [r["doc"] for r in planted]
    name += [r["name"] for r in planted]
    value_text += [r["value"] for r in planted]
    currency += [r["currency"] for r in planted]
    registered = np.concatenate([registered, [r["day"] for r in planted]]).astype(np.int64)

    won_rows = table_rows(world.awards, np.maximum(process_rows, 0))
    open_rows = table_rows(world.open_processes, np.maximum(-1 - process_rows, 0))
    is_open = pa.array(process_rows < 0)
    processes = {k: pc.if_else(is_open, open_rows[k], won_rows[k]) for k in won_rows}
    direct = pc.match_substring(processes["modalidad_de_contratacion"], "directa", ignore_case=True)
    return {
        "fecha_de_registro": FLOATING.render(day_seconds(registered, rng)),
        "referencia_de_la_oferta": join(
            pick_strings(rng, ("OFERTA ", "Oferta ", "PROPUESTA ", ""), n), processes["referencia_del_proceso"]
        ),
        "identificador_de_la_oferta": id_strings(rng, n, 2_000_000, "CO1.BID."),
        "valor_de_la_oferta": pa.array(value_text, pa.string()),
        "entidad_compradora": processes["entidad"],
        "nit_entidad_compradora": processes["nit_entidad"],
        "moneda": pa.array(currency, pa.string()),
        "descripcion_del_procedimiento": processes["descripci_n_del_procedimiento"],
        "referencia_del_proceso": processes["referencia_del_proceso"],
        "id_del_proceso_de_compra": processes["id_del_portafolio"],
        "modalidad": processes["modalidad_de_contratacion"],
        "invitacion_directa": pc.if_else(direct, "Si", "No"),
        "nombre_proveedor": pa.array(name, pa.string()),
        "nit_del_proveedor": pa.array(doc, pa.string()),
        "c_digo_entidad": processes["codigo_entidad"],
        "c_digo_proveedor": pa.array(code, pa.string()),
    }
